package io.eqlwatch.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.eql.analysis.QueryRejectedException;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.testing.SmbTestData;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A daemon compiles each rule once per version and forgets the rules taken out of its folder. */
class RulePlansTest {

    private final RulePlans plans = new RulePlans();

    @Test
    void anUnchangedRuleKeepsItsPlanAndAChangedOneIsCompiledAgain() {
        Rule rule = SmbTestData.rule(100);
        RulePlan first = plans.of(rule, SmbTestData.TYPES);
        assertSame(first, plans.of(rule, SmbTestData.TYPES));
        RulePlan changed = plans.of(SmbTestData.rule(5), SmbTestData.TYPES);
        assertNotSame(first, changed);
        assertEquals(5, changed.rule().maxSignals());
        assertEquals(1, plans.size(), "one plan per rule id, not per version");
    }

    @Test
    void aRuleTheMappingRefusesIsRefusedForTheSameReasonUntilTheMappingChanges() {
        Rule rule = SmbTestData.rule(100);
        FieldTypes withoutHost = new FieldTypes(Map.of(
                "event.category", FieldType.KEYWORD, "@timestamp", FieldType.DATE, "process.pid", FieldType.LONG));
        QueryRejectedException first = assertThrows(QueryRejectedException.class, () -> plans.of(rule, withoutHost));
        assertTrue(first.getMessage().contains("Unknown column [host.id]"), first.getMessage());
        QueryRejectedException again = assertThrows(QueryRejectedException.class, () -> plans.of(rule, withoutHost));
        assertEquals(first.getMessage(), again.getMessage());

        RulePlan plan = plans.of(rule, SmbTestData.TYPES);
        assertEquals(rule, plan.rule(), "a mapping that now has the field plans the rule");
        assertSame(plan, plans.of(rule, SmbTestData.TYPES));
        assertThrows(
                QueryRejectedException.class, () -> plans.of(rule, withoutHost), "the field gone again: refused again");
    }

    @Test
    void aRuleNoLongerScheduledLosesItsPlan() {
        Rule smb = SmbTestData.rule(100);
        RulePlan first = plans.of(smb, SmbTestData.TYPES);

        plans.retainOnly(Set.of(smb.ruleId(), "a-rule-never-planned"));
        assertSame(first, plans.of(smb, SmbTestData.TYPES), "a rule still scheduled keeps its plan");

        plans.retainOnly(Set.of("a-rule-never-planned"));
        assertEquals(0, plans.size());
        assertNotSame(first, plans.of(smb, SmbTestData.TYPES), "a removed rule that comes back is compiled afresh");
    }
}
