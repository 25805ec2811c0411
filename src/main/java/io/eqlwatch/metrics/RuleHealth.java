package io.eqlwatch.metrics;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.schedule.ExecutionListener;
import io.eqlwatch.schedule.ExecutionSummary;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Counts each rule's consecutive failed executions; a success resets the count. */
public final class RuleHealth implements ExecutionListener {

    /** A rule that failed its last {@code failures} executions in a row. */
    public record FailingRule(String ruleId, String ruleName, int failures, String lastError) {}

    private final Map<String, FailingRule> failing = new ConcurrentHashMap<>();

    @Override
    public void executionFinished(Rule rule, ExecutionSummary summary, List<String> createdAlertIds) {
        if (!summary.failed()) {
            failing.remove(summary.ruleId());
            return;
        }
        failing.merge(
                summary.ruleId(),
                new FailingRule(summary.ruleId(), summary.ruleName(), 1, summary.error()),
                (before, now) -> new FailingRule(now.ruleId(), now.ruleName(), before.failures() + 1, now.lastError()));
    }

    /** Forgets rules no longer scheduled, so a removed broken rule does not keep the daemon unready. */
    public void retainOnly(Collection<String> scheduledRuleIds) {
        Set<String> keep = Set.copyOf(scheduledRuleIds);
        failing.keySet().removeIf(id -> !keep.contains(id));
    }

    /** Rules whose last {@code threshold} or more executions all failed, by rule id. */
    public List<FailingRule> failingAtLeast(int threshold) {
        Map<String, FailingRule> sorted = new TreeMap<>(failing);
        return sorted.values().stream().filter(r -> r.failures() >= threshold).toList();
    }
}
