package io.eqlwatch.schedule;

import io.eqlwatch.eql.analysis.QueryFields;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.plan.RulePlans;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.FieldTypeLookup;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a rule into its plan against the field types its indices have in the cluster now: the one
 * place where a rule meets the mapping. Plans are kept per rule (see {@link RulePlans}) until the rule
 * or its mapping changes, or the rule is gone.
 */
public final class RuleCompiler {

    private final FieldTypeLookup mappings;
    private final RulePlans plans;

    public RuleCompiler(FieldTypeLookup mappings) {
        this(mappings, new RulePlans());
    }

    private RuleCompiler(FieldTypeLookup mappings, RulePlans plans) {
        this.mappings = mappings;
        this.plans = plans;
    }

    /** A compiler reading the mappings through {@code other} (a batch's), keeping this one's plans. */
    RuleCompiler over(FieldTypeLookup other) {
        return new RuleCompiler(other, plans);
    }

    /**
     * The rule's plan; looks up the types of exactly the fields the query reads and those its exceptions
     * test (an exception on an IP, date or alias field compares as that field's mapping says).
     */
    public RulePlan compile(Rule rule) {
        return plans.of(rule, mappings.forFields(rule.index(), fieldsLookedUp(rule)));
    }

    /** The fields whose mapping a rule's plan needs: those its query reads and those its exceptions test. */
    static Set<String> fieldsLookedUp(Rule rule) {
        Set<String> fields = new TreeSet<>(QueryFields.readBy(rule.query(), rule.eventCategoryField()));
        fields.addAll(rule.tuning().exceptionFields());
        return fields;
    }

    /** Drops the plans of rules no longer in {@code ruleIds}, so a daemon's memory follows its rules folder. */
    public void retainOnly(Set<String> ruleIds) {
        plans.retainOnly(ruleIds);
    }
}
