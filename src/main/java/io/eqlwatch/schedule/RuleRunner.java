package io.eqlwatch.schedule;

import io.eqlwatch.rule.Rule;
import java.time.Instant;

/** Runs one execution of one rule as if the clock read {@code now}. */
@FunctionalInterface
public interface RuleRunner {

    ExecutionSummary execute(Rule rule, Instant now);
}
