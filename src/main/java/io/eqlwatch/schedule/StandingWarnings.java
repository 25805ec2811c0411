package io.eqlwatch.schedule;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which of each rule's standing conditions (an index pattern that matches nothing) have been logged, so that the
 * log says so when a condition starts and not again at every run while it lasts: Elastic's rule set, most of whose
 * patterns match nothing in a given cluster, would otherwise log thousands of the same lines every five minutes.
 * Each run still carries the warning in its execution record, as Kibana shows it on the rule.
 */
final class StandingWarnings {

    private final Map<String, Set<String>> loggedByRule = new ConcurrentHashMap<>();

    /**
     * The conditions of {@code current} not already standing at the rule's previous run, to be logged; from now on
     * the rule's standing conditions are exactly {@code current}, so one that goes and comes back is logged again.
     */
    List<String> started(String ruleId, Collection<String> current) {
        Set<String> before =
                current.isEmpty() ? loggedByRule.remove(ruleId) : loggedByRule.put(ruleId, Set.copyOf(current));
        return current.stream()
                .filter(condition -> before == null || !before.contains(condition))
                .toList();
    }
}
