package io.eqlwatch.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one execution of a rule did, as printed by {@code once} and recorded in the execution history.
 *
 * @param windows           the windows read, in order
 * @param eventsRead        events returned by Elasticsearch over all windows
 * @param sequencesFound    matches the engine produced (before de-duplication and the cap)
 * @param alertsWritten     new matches written as alerts
 * @param duplicatesSkipped matches that already had alerts
 * @param droppedByCap      new matches not written because of {@code max_signals}
 * @param error             why the execution failed; {@code null} when it succeeded
 * @param peakOpenSequences the most partial sequences held in memory at once in any window
 * @param checkpointLag     how far the checkpoint trails the execution's "now" when it ends: zero
 *                          after a complete run, growing while runs fail or the cap holds it back
 * @param unfilledGap       time beyond the catch-up limit this execution could not read (a recorded
 *                          gap, left for {@code backfill}); zero when there was none
 */
public record ExecutionSummary(
        String ruleId,
        String ruleName,
        String executionId,
        Instant started,
        Duration took,
        List<TimeWindow> windows,
        long eventsRead,
        long sequencesFound,
        long alertsWritten,
        long duplicatesSkipped,
        long droppedByCap,
        List<String> warnings,
        String error,
        long peakOpenSequences,
        Duration checkpointLag,
        Duration unfilledGap) {

    public ExecutionSummary {
        windows = List.copyOf(windows);
        warnings = List.copyOf(warnings);
        checkpointLag = checkpointLag == null ? Duration.ZERO : checkpointLag;
        unfilledGap = unfilledGap == null ? Duration.ZERO : unfilledGap;
    }

    /** A summary without the operational figures (history written before they were recorded, test runners). */
    public ExecutionSummary(
            String ruleId,
            String ruleName,
            String executionId,
            Instant started,
            Duration took,
            List<TimeWindow> windows,
            long eventsRead,
            long sequencesFound,
            long alertsWritten,
            long duplicatesSkipped,
            long droppedByCap,
            List<String> warnings,
            String error) {
        this(
                ruleId,
                ruleName,
                executionId,
                started,
                took,
                windows,
                eventsRead,
                sequencesFound,
                alertsWritten,
                duplicatesSkipped,
                droppedByCap,
                warnings,
                error,
                0,
                Duration.ZERO,
                Duration.ZERO);
    }

    /** How the execution ended, as Kibana's rule monitoring names it: succeeded, warning or failed. */
    public String outcome() {
        return failed() ? "failed" : warnings.isEmpty() ? "succeeded" : "warning";
    }

    public boolean failed() {
        return error != null;
    }

    /** One line for logs and the {@code once} command. */
    public String line() {
        String status = failed() ? "FAILED: " + error : "ok";
        String range = windows.isEmpty()
                ? "-"
                : windows.get(0).start() + ".."
                        + windows.get(windows.size() - 1).end();
        return String.format(
                "%s [%s] window %s: events read %d, sequences found %d, alerts written %d, "
                        + "duplicates skipped %d, dropped by cap %d, took %d ms — %s",
                ruleName,
                ruleId,
                range,
                eventsRead,
                sequencesFound,
                alertsWritten,
                duplicatesSkipped,
                droppedByCap,
                took.toMillis(),
                status);
    }
}
