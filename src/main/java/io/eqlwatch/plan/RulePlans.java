package io.eqlwatch.plan;

import io.eqlwatch.eql.analysis.QueryRejectedException;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current plan of each rule: compiled again only when the rule or the field types of its
 * indices change, so a daemon compiles a rule once per version, not once per run. Thread-safe.
 */
public final class RulePlans {

    private final Map<String, RulePlan> byRuleId = new ConcurrentHashMap<>();

    private final Map<String, Instant> compiledAt = new ConcurrentHashMap<>();

    /**
     * The rules the mappings refuse, with what refused them: the same rule against the same types is
     * refused again for the same reason, so the check (and its "did you mean" search through every
     * mapped field) is not redone each time the rule is planned.
     */
    private final Map<String, Refusal> refused = new ConcurrentHashMap<>();

    private record Refusal(Rule rule, FieldTypes types, QueryRejectedException reason) {}

    /**
     * @throws QueryRejectedException when the types refuse the rule's query (see {@link Planner#plan(Rule,
     *         FieldTypes)}), the same exception as long as neither the rule nor the types change
     */
    public RulePlan of(Rule rule, FieldTypes types) {
        Refusal refusal = refused.get(rule.ruleId());
        if (refusal != null && refusal.rule().equals(rule) && refusal.types().equals(types)) {
            throw refusal.reason();
        }
        try {
            RulePlan plan = compiled(rule, types);
            refused.remove(rule.ruleId());
            return plan;
        } catch (QueryRejectedException e) {
            refused.put(rule.ruleId(), new Refusal(rule, types, e));
            throw e;
        }
    }

    private RulePlan compiled(Rule rule, FieldTypes types) {
        Instant now = Instant.now();
        return byRuleId.compute(rule.ruleId(), (id, current) -> {
            if (current != null
                    && current.rule().equals(rule)
                    && current.types().equals(types)
                    && !anExceptionExpiredSince(rule, compiledAt.get(id), now)) {
                return current;
            }
            compiledAt.put(id, now);
            return Planner.plan(rule, types);
        });
    }

    /** Forgets the plans of every rule not in {@code ruleIds}: rules removed from the folder. */
    public void retainOnly(Set<String> ruleIds) {
        byRuleId.keySet().retainAll(ruleIds);
        compiledAt.keySet().retainAll(ruleIds);
        refused.keySet().retainAll(ruleIds);
    }

    /** The number of rules with a plan kept. */
    public int size() {
        return byRuleId.size();
    }

    /** Whether an exception item expired after the plan was made: the plan must drop it. */
    private static boolean anExceptionExpiredSince(Rule rule, Instant compiled, Instant now) {
        return compiled != null
                && rule.tuning().exceptions().stream()
                        .anyMatch(item -> item.expireTime() != null
                                && item.expireTime().isAfter(compiled)
                                && !now.isBefore(item.expireTime()));
    }
}
