package io.eqlwatch.schedule;

import io.eqlwatch.plan.RulePlan;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's checkpoint of one rule: moves to the end of each completed window, and never
 * backwards (a run acting at an earlier instant, {@code once --now} in the past, leaves it). A
 * window the cap stopped short sets it so that the next execution reads that window again.
 *
 * <p>When the store reports the checkpoint already past this window, moved there during this run by
 * another process (a node that took the rule over while this one was paused, a backfill), the
 * windows up to there are done: they count as done rather than being read again.
 */
final class RuleCheckpoint implements CheckpointPolicy {

    private final RunStateStore state;
    private final RulePlan plan;
    private final WindowPlanner planner;
    private final Instant previous;
    private Instant movedByOthers;
    private Instant current;

    private static final Logger LOG = LoggerFactory.getLogger(RuleCheckpoint.class);

    /** @param previous the checkpoint the execution started from; {@code null} on the rule's first run */
    RuleCheckpoint(RunStateStore state, RulePlan plan, WindowPlanner planner, Instant previous) {
        this.state = state;
        this.plan = plan;
        this.planner = planner;
        this.previous = previous;
        this.current = previous;
    }

    /** Where the checkpoint stands now; {@code null} while the rule never had one. */
    Instant current() {
        return current;
    }

    @Override
    public boolean alreadyDone(TimeWindow window) {
        return movedByOthers != null && !window.end().isAfter(movedByOthers);
    }

    @Override
    public void completed(TimeWindow window) {
        moveTo(window.end());
    }

    @Override
    public void cutShort(TimeWindow window) {
        moveTo(planner.rereadFrom(plan, window));
    }

    private void moveTo(Instant checkpoint) {
        if (previous == null || checkpoint.isAfter(previous)) {
            Instant stored = state.advanceCheckpoint(plan.rule().ruleId(), checkpoint);
            current = stored;
            if (stored.isAfter(checkpoint)) {
                movedByOthers = stored;
                LOG.warn(
                        "rule {}: another node recorded progress up to {} while this run read to {}; the windows"
                                + " up to there are not read again",
                        plan.rule().name(),
                        stored,
                        checkpoint);
            }
        }
    }
}
