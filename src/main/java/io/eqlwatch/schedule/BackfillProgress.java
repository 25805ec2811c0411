package io.eqlwatch.schedule;

import io.eqlwatch.rule.Rule;
import java.time.Instant;
import java.util.Optional;

/**
 * A backfill's progress through its range, kept in the state store under a key of the rule and the
 * range: run again after a kill, the same backfill skips the windows it completed.
 */
final class BackfillProgress implements CheckpointPolicy {

    private final RunStateStore state;
    private final String key;
    private Optional<Instant> doneUntil;

    BackfillProgress(RunStateStore state, Rule rule, TimeWindow range) {
        this.state = state;
        this.key = "backfill:" + rule.ruleId() + ":" + range.start() + ":" + range.end();
        this.doneUntil = state.checkpoint(key);
    }

    @Override
    public boolean alreadyDone(TimeWindow window) {
        return doneUntil.isPresent() && !window.end().isAfter(doneUntil.get());
    }

    @Override
    public void completed(TimeWindow window) {
        // A second backfill of the same range that got further is trusted: its windows are not read again.
        doneUntil = Optional.of(state.advanceCheckpoint(key, window.end()));
    }

    @Override
    public void cutShort(TimeWindow window) {
        // A backfill has no budget, so it is never cut short; should it be, the window stays to do.
    }
}
