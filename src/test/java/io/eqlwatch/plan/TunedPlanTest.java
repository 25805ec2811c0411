package io.eqlwatch.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.engine.Match;
import io.eqlwatch.engine.QueryRunner;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A rule's exceptions and filters in its compiled plan: the read filter and the in-memory evaluator. */
class TunedPlanTest {

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    private static Rule rule(String query, String tuning) {
        String yaml =
                """
                rule_id: r1
                name: r
                description: d
                type: eql
                index: [logs-*]
                severity: low
                risk_score: 21
                query: '%s'
                exceptions:
                  - name: Lab hosts
                    entries:
                      - {field: host.name, type: match, value: lab}
                """
                                .formatted(query)
                        + tuning;
        return new RuleLoader().parse(yaml, null);
    }

    private static Event event(int second, String tag, String host) {
        return new Event(
                "e" + second,
                "logs",
                T0.plusSeconds(second),
                null,
                Map.of("event", Map.of("category", tag), "host", Map.of("id", "h1", "name", host)));
    }

    private static List<Match> run(RulePlan plan, Event... events) {
        List<Match> out = new java.util.ArrayList<>();
        QueryRunner runner = new QueryRunner(plan.query(), out::add);
        for (Event event : events) {
            runner.accept(event);
        }
        runner.finish();
        return out;
    }

    @Test
    void anExceptedEventTakesNoPartInAPositiveStage() {
        RulePlan prepared = Planner.plan(
                rule("sequence by host.id with maxspan=30s [network where true] [file where true]", ""),
                FieldTypes.NONE,
                T0);
        assertEquals(
                1,
                run(prepared, event(0, "network", "ws"), event(5, "file", "ws")).size());
        assertEquals(
                0,
                run(prepared, event(0, "network", "ws"), event(5, "file", "lab"))
                        .size());
    }

    @Test
    void anExceptedEventStillFillsAMissingEventStage() {
        RulePlan prepared = Planner.plan(
                rule("sequence by host.id with maxspan=30s [network where true] ![file where true]", ""),
                FieldTypes.NONE,
                T0);
        assertEquals(
                0,
                run(prepared, event(0, "network", "ws"), event(5, "file", "lab"))
                        .size(),
                "hiding the excepted write would raise an alert for a connection that did write a file");
        assertEquals(1, run(prepared, event(0, "network", "ws")).size());
    }

    @Test
    void anExceptedEventStillEndsASequenceInItsUntilStage() {
        RulePlan prepared = Planner.plan(
                rule("sequence by host.id [network where true] [file where true] until [process where true]", ""),
                FieldTypes.NONE,
                T0);
        assertEquals(
                0,
                run(prepared, event(0, "network", "ws"), event(3, "process", "lab"), event(5, "file", "ws"))
                        .size());
    }

    @Test
    void theReadLeavesExceptedEventsOutOfPositiveStagesOnly() {
        RulePlan prepared = Planner.plan(
                rule(
                        "sequence by host.id with maxspan=30s [network where true] ![file where true]",
                        """
                filters:
                  - meta: {}
                    query: {term: {data_stream.namespace: prod}}
                """),
                FieldTypes.NONE,
                T0);
        JsonNode stages = prepared.query().readFilter().path("bool").path("should");
        assertEquals(2, stages.size(), prepared.query().readFilter().toPrettyString());
        assertTrue(
                stages.get(0).toString().contains("must_not")
                        && stages.get(0).toString().contains("\"lab\""),
                stages.get(0).toString());
        assertFalse(stages.get(1).toString().contains("\"lab\""), "the missing stage reads excepted events too");
        for (JsonNode stage : stages) {
            assertTrue(
                    stage.toString().contains("{\"term\":{\"data_stream.namespace\":\"prod\"}}"),
                    "the filters narrow every stage: " + stage);
        }
    }

    @Test
    void anItemThatHasExpiredIsLeftOutOfThePlan() {
        String yaml =
                """
                rule_id: r1
                name: r
                description: d
                type: eql
                index: [logs-*]
                severity: low
                risk_score: 21
                query: network where true
                exceptions:
                  - name: Until noon
                    expire_time: 2026-11-28T12:00:00Z
                    entries:
                      - {field: host.name, type: match, value: lab}
                """;
        Rule expiring = new RuleLoader().parse(yaml, null);
        assertTrue(Planner.plan(expiring, FieldTypes.NONE, T0.minusSeconds(1))
                .query()
                .readFilter()
                .toString()
                .contains("lab"));
        RulePlan atNoon = Planner.plan(expiring, FieldTypes.NONE, T0);
        assertFalse(atNoon.query().readFilter().toString().contains("lab"));
        assertEquals(1, run(atNoon, event(0, "network", "lab")).size());
    }
}
