package io.eqlwatch.schedule;

import io.eqlwatch.plan.RulePlan;
import java.time.Instant;

/**
 * The daemon's checkpoint of one rule: moves to the end of each completed window, and never
 * backwards (a run acting at an earlier instant, {@code once --now} in the past, leaves it). A
 * window the cap stopped short sets it so that the next execution reads that window again.
 */
final class RuleCheckpoint implements CheckpointPolicy {

    private final RunStateStore state;
    private final RulePlan plan;
    private final WindowPlanner planner;
    private final Instant previous;
    private Instant current;

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
    public void completed(TimeWindow window) {
        moveTo(window.end());
    }

    @Override
    public void cutShort(TimeWindow window) {
        moveTo(planner.rereadFrom(plan, window));
    }

    private void moveTo(Instant checkpoint) {
        if (previous == null || checkpoint.isAfter(previous)) {
            state.saveCheckpoint(plan.rule().ruleId(), checkpoint);
            current = checkpoint;
        }
    }
}
