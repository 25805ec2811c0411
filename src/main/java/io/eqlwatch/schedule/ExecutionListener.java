package io.eqlwatch.schedule;

import io.eqlwatch.rule.Rule;
import java.util.List;

/**
 * Told of every finished rule execution, successful or not, after it is recorded: where metrics,
 * health checks or a cluster coordinator learn what ran, without the run loop knowing them.
 * Called on the thread that ran the rule; a listener that throws is logged and ignored.
 */
@FunctionalInterface
public interface ExecutionListener {

    /**
     * @param createdAlertIds the ids of the alerts the execution created (group ids: a sequence's shell,
     *                        an event query's alert), in match order
     */
    void executionFinished(Rule rule, ExecutionSummary summary, List<String> createdAlertIds);
}
