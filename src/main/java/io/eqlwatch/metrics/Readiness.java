package io.eqlwatch.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the daemon does its job: the cluster answers, and no rule has failed its last
 * {@code failuresThreshold} executions in a row. A container runtime stops routing to (or pages
 * about) an unready daemon; the reasons say why in one line each.
 */
public final class Readiness {

    /** Checks that the cluster answers now; throws with the reason when it does not. */
    @FunctionalInterface
    public interface ClusterProbe {
        void check() throws Exception;
    }

    /** The verdict and, when unready, one line per reason. */
    public record Verdict(boolean ready, List<String> reasons) {
        public Verdict {
            reasons = List.copyOf(reasons);
        }
    }

    private final RuleHealth rules;
    private final int failuresThreshold;
    private volatile ClusterProbe cluster;

    public Readiness(RuleHealth rules, int failuresThreshold) {
        if (failuresThreshold < 1) {
            throw new IllegalArgumentException("the failure threshold must be at least 1, not " + failuresThreshold);
        }
        this.rules = rules;
        this.failuresThreshold = failuresThreshold;
    }

    /** From now on readiness asks this probe; until then the daemon is not connected, so not ready. */
    public void clusterConnected(ClusterProbe probe) {
        this.cluster = probe;
    }

    public Verdict check() {
        List<String> reasons = new ArrayList<>();
        ClusterProbe probe = cluster;
        if (probe == null) {
            reasons.add("not connected to Elasticsearch yet");
        } else {
            try {
                probe.check();
            } catch (Exception e) {
                reasons.add("Elasticsearch does not answer: " + oneLine(e));
            }
        }
        for (RuleHealth.FailingRule rule : rules.failingAtLeast(failuresThreshold)) {
            reasons.add("rule " + rule.ruleName() + " [" + rule.ruleId() + "] failed its last " + rule.failures()
                    + " executions: " + rule.lastError());
        }
        return new Verdict(reasons.isEmpty(), reasons);
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName()
                : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
