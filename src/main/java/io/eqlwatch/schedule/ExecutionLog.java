package io.eqlwatch.schedule;

import org.slf4j.spi.LoggingEventBuilder;

/**
 * The fields a rule execution's log line carries besides its text, named as ECS names them where
 * ECS has a name ({@code rule.id}, {@code event.outcome}, {@code event.duration} in nanoseconds)
 * and under {@code eqlwatch.execution} otherwise. Plain-text logs show only the text.
 */
final class ExecutionLog {

    private ExecutionLog() {}

    static LoggingEventBuilder fields(LoggingEventBuilder log, ExecutionSummary summary) {
        return log.addKeyValue("event.kind", "event")
                .addKeyValue("event.action", "rule-execution")
                .addKeyValue("event.outcome", summary.failed() ? "failure" : "success")
                .addKeyValue("event.duration", summary.took().toNanos())
                .addKeyValue("rule.id", summary.ruleId())
                .addKeyValue("rule.name", summary.ruleName())
                .addKeyValue("error.message", summary.error())
                .addKeyValue("eqlwatch.execution.id", summary.executionId())
                .addKeyValue("eqlwatch.execution.status", summary.outcome())
                .addKeyValue("eqlwatch.execution.events_read", summary.eventsRead())
                .addKeyValue("eqlwatch.execution.sequences_found", summary.sequencesFound())
                .addKeyValue("eqlwatch.execution.alerts_written", summary.alertsWritten())
                .addKeyValue("eqlwatch.execution.duplicates_skipped", summary.duplicatesSkipped())
                .addKeyValue("eqlwatch.execution.dropped_by_cap", summary.droppedByCap())
                .addKeyValue("eqlwatch.execution.open_sequences_peak", summary.peakOpenSequences())
                .addKeyValue(
                        "eqlwatch.execution.checkpoint_lag_ms",
                        summary.checkpointLag().toMillis())
                .addKeyValue(
                        "eqlwatch.execution.unfilled_gap_ms",
                        summary.unfilledGap().toMillis());
    }
}
