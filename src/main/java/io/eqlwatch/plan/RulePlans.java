package io.eqlwatch.plan;

import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current plan of each rule: compiled again only when the rule or the field types of its
 * indices change, so a daemon compiles a rule once per version, not once per run. Thread-safe.
 */
public final class RulePlans {

    private final Map<String, RulePlan> byRuleId = new ConcurrentHashMap<>();

    public RulePlan of(Rule rule, FieldTypes types) {
        return byRuleId.compute(rule.ruleId(), (id, current) ->
                current != null && current.rule().equals(rule) && current.types().equals(types)
                        ? current : Planner.plan(rule, types));
    }
}
