package io.eqlwatch.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.eql.EqlParser;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.event.MappedField;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleTuning;
import io.eqlwatch.testing.SmbTestData;
import io.eqlwatch.tuning.ExceptionEntry;
import io.eqlwatch.tuning.ExceptionItem;
import io.eqlwatch.tuning.Operator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a plan holds: the query's shape, compiled stages, keys, maxspan, until, pipes and the fields read. */
class PlannerTest {

    private static final FieldTypes TYPES = new FieldTypes(Map.of(
            "host.id",
            FieldType.KEYWORD,
            "process.pid",
            FieldType.LONG,
            "user.name",
            FieldType.KEYWORD,
            "event.category",
            FieldType.KEYWORD));

    private static QueryPlan plan(String eql) {
        return Planner.plan(EqlParser.parse(eql), TYPES, "event.category");
    }

    private static Event event(Map<String, Object> source) {
        return new Event("1", "logs", Instant.parse("2026-11-28T12:00:00Z"), null, source);
    }

    @Test
    void aSequenceHasItsStagesSharedKeysUntilAndMaxspan() {
        QueryPlan plan = plan("sequence by host.id with maxspan=30s"
                + " [network where process.pid == 4] by process.pid ![process where true] by process.pid"
                + " [file where user.name : \"sys*\"] by process.pid with runs=2"
                + " until [process where event.type == \"end\"] by process.pid | head 3");

        assertEquals(QueryShape.SEQUENCE, plan.shape());
        assertEquals(3, plan.stages().size());
        assertEquals(List.of(new Expr.Field("host.id", false)), plan.sharedKeys());
        assertEquals(
                List.of(new Expr.Field("host.id", false), new Expr.Field("process.pid", false)),
                plan.stages().get(0).keys());
        assertTrue(plan.stages().get(1).missing());
        assertEquals(2, plan.stages().get(2).runs());
        assertEquals(3, plan.until().position());
        assertEquals(Duration.ofSeconds(30), plan.maxspan());
        assertEquals(Duration.ofSeconds(30), plan.overlap());
        assertEquals(4, plan.stagesToRead().size());
        assertEquals(1, plan.pipes().size());
        assertEquals(Set.of("event.category", "host.id", "process.pid", "user.name", "event.type"), plan.fieldsRead());
    }

    @Test
    void aStageEvaluatesAndExtractsKeysWithTheMappedTypes() {
        StagePlan network = plan("sequence by host.id [network where process.pid == 4] [file where true]")
                .stages()
                .get(0);
        Event event = event(Map.of(
                "event",
                Map.of("category", "network"),
                "host",
                Map.of("id", List.of("h1", "h2")),
                "process",
                Map.of("pid", "4")));

        assertTrue(network.matches(event), "a pid mapped as long compares as a number, as Elasticsearch does");
        assertEquals(List.of(new JoinKey(List.of("h1")), new JoinKey(List.of("h2"))), network.keysOf(event));
        assertEquals("host.id", network.narrowableKeyField(0));
    }

    @Test
    void anEventQueryHasOneStageNoKeysAndItsTranslationAsReadFilter() {
        QueryPlan plan = plan("process where process.pid == 4");

        assertEquals(QueryShape.EVENT, plan.shape());
        assertFalse(plan.shape().joins());
        assertEquals(1, plan.stages().size());
        assertEquals(Duration.ZERO, plan.overlap());
        assertNull(plan.until());
        assertEquals(plan.stages().get(0).pushDown(), plan.readFilter());
    }

    @Test
    void theReadFilterIsACopyACallerMayExtend() {
        QueryPlan plan = plan("process where process.pid == 4");
        plan.readFilter().put("extra", true);
        assertFalse(plan.readFilter().has("extra"));
    }

    @Test
    void aSampleNeedsKeysAndASequenceTwoStages() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Planner.forMatching(
                        new Query(new io.eqlwatch.eql.ast.SampleQuery(List.of(), List.of(stage(), stage())), List.of()),
                        new io.eqlwatch.eql.Evaluator()));
        IllegalArgumentException one = assertThrows(
                IllegalArgumentException.class,
                () -> Planner.forMatching(
                        new Query(new SequenceQuery(List.of(), null, List.of(stage()), null), List.of()),
                        new io.eqlwatch.eql.Evaluator()));
        assertTrue(one.getMessage().contains("two stages"), one.getMessage());
    }

    private static SequenceStage stage() {
        return new SequenceStage(new io.eqlwatch.eql.ast.EventQuery(null, new Expr.Literal(true)), List.of(), 1, false);
    }

    @Test
    void aRulePlanKnowsWhereItsEventsAreReadAndHowFarPartnersLie() {
        Rule byArrival = SmbTestData.rule(SmbTestData.QUERY, 100, "event.ingested");
        RulePlan plan = Planner.plan(byArrival, TYPES);

        assertEquals(byArrival.index(), plan.read().indices());
        assertEquals("@timestamp", plan.read().timestampField());
        assertTrue(plan.read().byArrival());
        assertEquals(
                Set.of("event.category", "host.id", "process.pid", "@timestamp", "event.ingested"), plan.fieldsRead());
        assertEquals(Duration.ofSeconds(30), plan.partnerReach());
        assertEquals(
                Duration.ofMinutes(9),
                Planner.plan(
                                SmbTestData.rule("sample by host.id [network where true] [file where true]", 100, null),
                                TYPES)
                        .partnerReach(),
                "without a maxspan, as far as a run reads");
    }

    @Test
    void aReadFetchesTheFieldsReadTheAliasTargetsAndTheFieldsExceptionsTest() {
        FieldTypes withAlias = new FieldTypes(
                Map.of(
                        "host.id", FieldType.KEYWORD,
                        "process.pid", FieldType.LONG,
                        "event.category", FieldType.KEYWORD,
                        "pid", FieldType.LONG),
                Map.of("pid", new MappedField("process.pid", null, null)),
                true);
        ExceptionItem item = new ExceptionItem(
                "i1",
                null,
                "backups",
                "",
                List.of(
                        new ExceptionEntry.Match("user.name", Operator.INCLUDED, "backup"),
                        new ExceptionEntry.Nested(
                                "dll", List.of(new ExceptionEntry.Match("name", Operator.INCLUDED, "a.dll")))),
                null,
                List.of(),
                List.of());
        Rule rule = SmbTestData.rule(
                        "sequence by host.id [network where pid == 4] [file where ?file.name == null]", 100, null)
                .withTuning(new RuleTuning(List.of(item), List.of(), List.of(), null, null, null));

        RulePlan plan = Planner.plan(rule, withAlias);

        assertEquals(
                Set.of(
                        "@timestamp",
                        "event.category",
                        "host.id",
                        "pid",
                        "process.pid",
                        "file.name",
                        "user.name",
                        "dll"),
                plan.sourceFields());
    }

    @Test
    void aRuleIsCompiledAgainOnlyWhenItOrItsMappingsChange() {
        RulePlans plans = new RulePlans();
        Rule rule = SmbTestData.rule(100);
        RulePlan first = plans.of(rule, TYPES);

        assertSame(first, plans.of(SmbTestData.rule(100), TYPES));
        assertNotSame(first, plans.of(rule, FieldTypes.NONE));
        assertNotSame(first, plans.of(SmbTestData.rule(10), FieldTypes.NONE));
    }
}
