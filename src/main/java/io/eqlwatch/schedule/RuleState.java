package io.eqlwatch.schedule;

import java.time.Instant;

/**
 * What eqlwatch remembers of a rule between runs and restarts.
 *
 * @param checkpoint    end of the last fully successful window; {@code null} before the first success
 * @param lastExecution the most recent execution, successful or not; {@code null} before the first
 */
public record RuleState(String ruleId, Instant checkpoint, ExecutionSummary lastExecution) {
}
