package io.eqlwatch.schedule;

import io.eqlwatch.rule.Rule;
import java.time.Instant;
import java.util.Set;

/** Runs one execution of one rule as if the clock read {@code now}. */
@FunctionalInterface
public interface RuleRunner {

    ExecutionSummary execute(Rule rule, Instant now);

    /**
     * Records that a scheduled run was not done, and why (this node's copy of the rule differs from
     * the one the cluster schedules), so the execution history shows the skipped fire.
     */
    default void refuse(String ruleId, String ruleName, Instant now, String reason) {}

    /** Told the rules now scheduled, so that what it keeps per rule does not outlive a removed rule. */
    default void retainOnly(Set<String> ruleIds) {}
}
