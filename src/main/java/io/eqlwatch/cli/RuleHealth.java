package io.eqlwatch.cli;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.schedule.ExecutionSummary;
import io.eqlwatch.schedule.RuleRunner;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers how each rule's latest execution ended, for the daemon's health file: a daemon whose rules fail
 * (wrong credentials, a revoked privilege, a cluster that refuses writes) detects nothing and must not look
 * healthy to its supervisor just because the process is up.
 */
final class RuleHealth implements RuleRunner {

    private final RuleRunner runner;
    private final Map<String, ExecutionSummary> latest = new ConcurrentHashMap<>();

    RuleHealth(RuleRunner runner) {
        this.runner = runner;
    }

    @Override
    public ExecutionSummary execute(Rule rule, Instant now) {
        ExecutionSummary summary = runner.execute(rule, now);
        latest.put(rule.ruleId(), summary);
        return summary;
    }

    /** The latest execution that failed, of any rule, or empty when every rule's latest run succeeded. */
    Optional<ExecutionSummary> failing() {
        return latest.values().stream().filter(ExecutionSummary::failed).findFirst();
    }
}
