package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.testing.InMemoryEventSource;
import io.eqlwatch.testing.SmbTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The key narrowing used for rare first stages and late events (a superset of the keys seen, never fewer), and
 * when a rare first stage narrows the read.
 */
class WindowDetectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void plainKeysBecomeTermsOfEverySeenValue() throws Exception {
        ObjectNode filter = JSON.createObjectNode();
        filter.putObject("term").put("event.category", "network");
        ObjectNode narrowed = WindowDetection.narrowByKeys(
                filter,
                List.of(new Expr.Field("host.id", false), new Expr.Field("process.pid", false)),
                List.of(new LinkedHashSet<>(List.of("h1", "h2")), new LinkedHashSet<>(List.of(4L))));
        assertEquals(
                JSON.readTree(
                        """
                {"bool": {"filter": [
                  {"term": {"event.category": "network"}},
                  {"terms": {"host.id": ["h1", "h2"]}},
                  {"terms": {"process.pid": ["4"]}}]}}"""),
                narrowed);
    }

    @Test
    void optionalAndComputedKeysAreNotNarrowedBecauseTheirAbsenceAlsoJoins() throws Exception {
        ObjectNode filter = JSON.createObjectNode().putObject("match_all");
        ObjectNode narrowed = WindowDetection.narrowByKeys(
                JSON.createObjectNode().set("match_all", filter),
                List.of(
                        new Expr.Field("user.name", true),
                        new Expr.Function("string", false, List.of(new Expr.Field("process.pid", false)))),
                List.of(Set.<Object>of("alice"), Set.<Object>of("4")));
        assertEquals(JSON.readTree("{\"bool\": {\"filter\": [{\"match_all\": {}}]}}"), narrowed);
    }

    private static final Instant T0 = Instant.parse("2026-11-28T11:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plus(Duration.ofMinutes(9)));

    @Test
    void aRareFirstStageIsCountedThenReadAndTheLaterStagesOnlyForItsKeys() {
        InMemoryEventSource events = new InMemoryEventSource(SmbTestData.TYPES);
        events.addAll(SmbTestData.transfers(2, T0.plusSeconds(5)));
        for (int i = 0; i < 20; i++) {
            events.add(SmbTestData.event(
                    "lone-file-" + i, SmbTestData.FILE_INDEX, "file", "other-" + i, T0.plusSeconds(i), T0));
        }
        RulePlan plan = Planner.plan(SmbTestData.rule(100), SmbTestData.TYPES);

        WindowDetection.Result found = new WindowDetection(events, 100).detect(plan, WINDOW);

        assertEquals(2, found.matches().size());
        assertEquals(1, events.counts().size(), "the first stage's candidates are counted");
        assertEquals(2, events.requests().size(), "then read, and the stages read for their keys");
        assertTrue(events.requests().get(1).filter().toString().contains("host-0001"));
        assertEquals(2 + 4, found.eventsRead(), "the lone files are not read: " + found.eventsRead());
    }

    @Test
    void aCommonFirstStageIsCountedNotReadAndThrownAway() {
        InMemoryEventSource events = new InMemoryEventSource(SmbTestData.TYPES);
        events.addAll(SmbTestData.transfers(1, T0.plusSeconds(5)));
        for (int i = 0; i < 5_001; i++) {
            events.add(SmbTestData.event(
                    "connection-" + i, SmbTestData.NETWORK_INDEX, "network", "busy-" + i, T0.plusMillis(100L * i), T0));
        }
        RulePlan plan = Planner.plan(SmbTestData.rule(100), SmbTestData.TYPES);

        WindowDetection.Result found = new WindowDetection(events, 100).detect(plan, WINDOW);

        assertEquals(1, found.matches().size());
        assertEquals(1, events.counts().size());
        assertEquals(1, events.requests().size(), "one read of every stage, no seed read");
        assertEquals(5_003, found.eventsRead());
    }
}
