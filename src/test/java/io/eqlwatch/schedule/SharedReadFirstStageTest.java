package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.testing.InMemoryAlertSink;
import io.eqlwatch.testing.InMemoryEventSource;
import io.eqlwatch.testing.InMemoryRunStateStore;
import io.eqlwatch.testing.SmbTestData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A sequence whose first stage is rare or absent in the window stays out of a shared read: its common later
 * stage would otherwise make the union read most of the window (Elastic's "PsExec Network Connection" reads
 * every Windows network event that way), while alone it reads only its first stage's keys, or nothing.
 */
class SharedReadFirstStageTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private InMemoryEventSource events =
            new InMemoryEventSource(SmbTestData.TYPES).addAll(SmbTestData.transfers(20, NOW.minusSeconds(300)));

    private final Rule fileEvents = rule("file-events", "file where process.pid == 4");
    private final Rule networkEvents = rule("network-events", "network where process.pid == 4");

    @Test
    void aSequenceWhoseFirstStageHasNoCandidateAddsNoReadAndFindsNothing() {
        List<ExecutionSummary> without = batch(List.of(fileEvents, networkEvents));
        int readsWithout = events.requests().size();

        Rule neverStarts = rule(
                "never-starts",
                "sequence by host.id with maxspan=30s [file where process.pid == 5] [network where true]");
        Map<String, ExecutionSummary> with = byRule(batch(List.of(fileEvents, neverStarts, networkEvents)));

        assertEquals(readsWithout, events.requests().size() - readsWithout, "the same reads as without it");
        ExecutionSummary none = with.get("never-starts");
        assertNull(none.error(), none.error());
        assertEquals(0, none.eventsRead());
        assertEquals(0, none.sequencesFound());
        assertEquals(0, alone(neverStarts).sequencesFound(), "alone it finds nothing either");
        for (ExecutionSummary before : without) {
            assertEquals(before.alertsWritten(), with.get(before.ruleId()).alertsWritten(), before.ruleId());
        }
        assertEquals(20, with.get("file-events").alertsWritten());
    }

    @Test
    void aSequenceWithFewFirstStageCandidatesReadsAloneAndFindsWhatItFindsAlone() {
        Rule oneHost = rule(
                "one-host",
                "sequence by host.id with maxspan=30s [network where host.id == \"host-0003\"] [file where true]");
        ExecutionSummary byItself = alone(oneHost);

        ExecutionSummary inBatch =
                byRule(batch(List.of(fileEvents, oneHost, networkEvents))).get("one-host");

        assertNull(inBatch.error(), inBatch.error());
        assertEquals(1, byItself.sequencesFound());
        assertEquals(byItself.sequencesFound(), inBatch.sequencesFound());
        assertEquals(byItself.eventsRead(), inBatch.eventsRead(), "its own narrowed read, not the union's events");
    }

    @Test
    void byArrivalALateSecondStageStillPairsWithAFirstStageThatArrivedInAnEarlierWindow() {
        // The only arrival is the late file write: its connection lies outside the window by arrival and by time.
        events = new InMemoryEventSource(SmbTestData.TYPES);
        Instant connected = NOW.minus(Duration.ofMinutes(12));
        events.add(SmbTestData.event("old-net", SmbTestData.NETWORK_INDEX, "network", "late", connected, connected));
        events.add(SmbTestData.event(
                "late-file",
                SmbTestData.FILE_INDEX,
                "file",
                "late",
                connected.plusSeconds(10),
                NOW.minus(Duration.ofMinutes(2))));
        Rule byArrival = SmbTestData.rule(SmbTestData.QUERY, 100, "event.ingested").toBuilder()
                .identity("by-arrival", "rule by-arrival")
                .build();
        Rule neverStarts = SmbTestData.rule(
                        "sequence by host.id with maxspan=30s [network where process.pid == 5] [file where true]",
                        100,
                        "event.ingested")
                .toBuilder()
                .identity("never-starts", "rule never-starts")
                .build();
        ExecutionSummary byItself = alone(byArrival);

        Map<String, ExecutionSummary> inBatch =
                byRule(batch(List.of(fileEvents, byArrival, neverStarts, networkEvents)));

        assertEquals(1, byItself.sequencesFound(), "the late transfer");
        assertEquals(byItself.sequencesFound(), inBatch.get("by-arrival").sequencesFound());
        assertEquals(byItself.alertsWritten(), inBatch.get("by-arrival").alertsWritten());
        assertEquals(0, inBatch.get("never-starts").sequencesFound());
        assertEquals(0, inBatch.get("never-starts").eventsRead(), "found without reading");
        assertEquals(0, alone(neverStarts).sequencesFound());
    }

    private List<ExecutionSummary> batch(List<Rule> rules) {
        return new BatchExecutor(executor(), events, 100).execute(rules, NOW);
    }

    private ExecutionSummary alone(Rule rule) {
        return executor().execute(rule, NOW);
    }

    private RuleExecutor executor() {
        return new RuleExecutor(
                indices -> SmbTestData.TYPES,
                new RunLoop(new WindowDetection(events, 100), "default"),
                new InMemoryAlertSink(),
                new InMemoryRunStateStore(),
                new WindowPlanner(Duration.ofHours(24)),
                Clock.fixed(NOW, ZoneOffset.UTC),
                List.of());
    }

    private static Map<String, ExecutionSummary> byRule(List<ExecutionSummary> summaries) {
        return new ArrayList<>(summaries)
                .stream().collect(Collectors.toMap(ExecutionSummary::ruleId, Function.identity()));
    }

    private static Rule rule(String id, String eql) {
        return SmbTestData.rule(eql, 100, null).toBuilder()
                .identity(id, "rule " + id)
                .build();
    }
}
