package io.eqlwatch.schedule;

/**
 * Told of every finished rule execution, after it was recorded. Metrics and health live at the edge
 * behind this interface, so the run loop never depends on them.
 */
@FunctionalInterface
public interface ExecutionListener {

    /** Does nothing: one-shot commands and tests that do not watch executions. */
    ExecutionListener NONE = summary -> { };

    /** Must not throw and must return quickly: it runs on the rule's scheduler thread. */
    void executionFinished(ExecutionSummary summary);
}
