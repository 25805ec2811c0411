package io.eqlwatch.schedule;

import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.rule.Rule;
import java.util.List;

/**
 * Told of each window's alert groups just before they are written, and of each finished
 * execution: the port through which packages at the edge (notifications) are fed by the run loop
 * without the loop knowing them.
 */
public interface AlertWriteListener {

    /** Listens to nothing. */
    AlertWriteListener NONE = new AlertWriteListener() {
        @Override
        public void beforeWrite(Rule rule, String executionId, List<AlertGroup> groups) {
        }

        @Override
        public void executionFinished(Rule rule, ExecutionSummary summary) {
        }
    };

    /**
     * Called with the groups a window is about to write (new ones and duplicates alike). Throwing
     * fails the execution before any of the window's alerts is written, so the checkpoint stays and
     * the next execution tries the window again.
     */
    void beforeWrite(Rule rule, String executionId, List<AlertGroup> groups);

    /** Called once the execution is recorded, whether it succeeded or failed. */
    void executionFinished(Rule rule, ExecutionSummary summary);
}
