package io.eqlwatch.schedule;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which standing conditions (an index pattern that matches nothing) have been logged, so that the log says so when a
 * condition starts and not again at every run while it lasts, nor once for every rule that reads the pattern:
 * Elastic's rule set, most of whose patterns match nothing in a given cluster, would otherwise log thousands of the
 * same lines (3,656 for its 954 enabled rules over an empty cluster, 65 patterns). Each run still carries the warning in its
 * execution record, as Kibana shows it on the rule.
 */
final class StandingWarnings {

    private final Map<String, Set<String>> byRule = new ConcurrentHashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    /**
     * The conditions of {@code current} that no rule had standing until now, to be logged. A condition the rule had
     * at its previous run and has no longer (its pattern matches something now) stops standing for every rule, so
     * that it is logged again if it comes back.
     */
    List<String> started(String ruleId, Collection<String> current) {
        Set<String> now = Set.copyOf(current);
        Set<String> before = now.isEmpty() ? byRule.remove(ruleId) : byRule.put(ruleId, now);
        if (before != null) {
            before.stream().filter(condition -> !now.contains(condition)).forEach(logged::remove);
        }
        return current.stream().filter(logged::add).toList();
    }
}
