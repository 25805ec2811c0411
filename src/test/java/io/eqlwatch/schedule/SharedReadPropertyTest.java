package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.alert.AlertDocument;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.alert.WriteResult;
import io.eqlwatch.alert.WriteSummary;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.FieldTypeLookup;
import io.eqlwatch.testing.InMemoryAlertSink;
import io.eqlwatch.testing.InMemoryEventSource;
import io.eqlwatch.testing.InMemoryRunStateStore;
import io.eqlwatch.testing.SmbTestData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 11 item 6: for generated events and a set of rules of different shapes, indices and
 * windows (the SMB rule and variants, event queries of several categories, by arrival time, with
 * {@code head}, a sample, a sequence with {@code until}), executing them as one batch, sharing
 * reads, gives each rule exactly the alerts, counts and checkpoint it gets executed alone; and a
 * rule whose mapping cannot be read or whose alerts are refused fails alone.
 */
class SharedReadPropertyTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private static final String NETWORK = "logs-endpoint.events.network-default";
    private static final String FILE = "logs-endpoint.events.file-default";
    private static final String PROCESS = "logs-endpoint.events.process-default";
    private static final String WINLOG = "winlogbeat-8.19";
    private static final List<String> INDICES = List.of(NETWORK, FILE, PROCESS, WINLOG);
    private static final Map<String, String> CATEGORY_OF_INDEX =
            Map.of(NETWORK, "network", FILE, "file", PROCESS, "process");

    private static final FieldTypes TYPES = new FieldTypes(Map.of(
            "event.category", FieldType.KEYWORD,
            "host.id", FieldType.KEYWORD,
            "process.pid", FieldType.LONG,
            "process.name", FieldType.KEYWORD,
            "@timestamp", FieldType.DATE,
            "event.ingested", FieldType.DATE));

    private static final List<String> ENDPOINT_NETWORK_AND_FILE =
            List.of("logs-endpoint.events.network-*", "logs-endpoint.events.file-*");
    private static final List<String> PROCESS_SOURCES = List.of("logs-endpoint.events.process-*", "winlogbeat-*");
    private static final List<String> EVERYTHING = List.of("logs-endpoint.events.*", "winlogbeat-*");

    /** Rules as Elastic writes them: different shapes over overlapping index lists, some by arrival. */
    static List<Rule> rules() {
        return List.of(
                rule(
                        "smb",
                        ENDPOINT_NETWORK_AND_FILE,
                        "sequence by host.id with maxspan=30s [network where process.pid == 4] [file where process.pid == 4]",
                        null,
                        100),
                rule(
                        "smb-narrow",
                        ENDPOINT_NETWORK_AND_FILE,
                        "sequence by host.id with maxspan=10s [network where process.pid == 4 and process.name == \"System\"]"
                                + " [file where process.pid == 4]",
                        null,
                        2),
                rule(
                        "smb-by-arrival",
                        ENDPOINT_NETWORK_AND_FILE,
                        "sequence by host.id with maxspan=30s [network where process.pid == 4] [file where process.pid == 4]",
                        "event.ingested",
                        100),
                rule("cmd", PROCESS_SOURCES, "process where process.name == \"cmd.exe\"", null, 100),
                rule(
                        "shell-not-system",
                        PROCESS_SOURCES,
                        "process where process.name : (\"cmd.exe\", \"powershell.exe\") and process.pid != 4",
                        "event.ingested",
                        3),
                rule(
                        "system-network-head",
                        List.of("logs-endpoint.events.network-*"),
                        "network where process.pid == 4 | head 2",
                        null,
                        100),
                rule("host-one", EVERYTHING, "any where host.id == \"h1\"", "event.ingested", 100),
                rule(
                        "system-files",
                        List.of("logs-endpoint.events.file-*"),
                        "file where process.name == \"System\"",
                        null,
                        4),
                rule(
                        "sample",
                        EVERYTHING,
                        "sample by host.id [network where true] [file where process.pid == 4]",
                        null,
                        100),
                rule(
                        "until",
                        EVERYTHING,
                        "sequence by host.id with maxspan=1m [process where true] [network where true]"
                                + " until [file where process.pid == 100]",
                        null,
                        100));
    }

    @Property(tries = 200)
    void eachRuleOfASharedReadGetsExactlyWhatItGetsAlone(
            @ForAll("windows") List<Event> events, @ForAll("checkpoints") Map<String, Instant> checkpoints) {
        Outcome alone = runAlone(events, checkpoints);
        Outcome batch = runBatch(events, checkpoints, TYPES_LOOKUP, null);

        assertEquals(alone.alertIds(), batch.alertIds());
        for (Rule rule : rules()) {
            ExecutionSummary a = alone.summaries().get(rule.ruleId());
            ExecutionSummary b = batch.summaries().get(rule.ruleId());
            String what = rule.ruleId() + " over " + events.size() + " events";
            assertEquals(a.error(), b.error(), what);
            assertEquals(a.windows(), b.windows(), what);
            assertEquals(a.sequencesFound(), b.sequencesFound(), what);
            assertEquals(a.alertsWritten(), b.alertsWritten(), what);
            assertEquals(a.droppedByCap(), b.droppedByCap(), what);
            assertEquals(a.duplicatesSkipped(), b.duplicatesSkipped(), what);
            assertEquals(alone.state().checkpoint(rule.ruleId()), batch.state().checkpoint(rule.ruleId()), what);
            assertEquals(1, batch.state().executions(rule.ruleId(), 10).size(), what);
        }
        assertTrue(
                batch.reads() < alone.reads(), "the batch reads less often: " + batch.reads() + " vs " + alone.reads());
    }

    @Example
    void aRuleWhoseMappingCannotBeReadFailsAloneAndTheOthersAlertAsAlone() {
        List<Event> events = transfersAndShells();
        FieldTypeLookup brokenForProcesses = new FieldTypeLookup() {
            @Override
            public FieldTypes read(List<String> indices) {
                if (indices.equals(PROCESS_SOURCES)) {
                    throw new IllegalStateException("field caps of " + indices + " refused");
                }
                return TYPES;
            }
        };
        Outcome alone = runAlone(events, Map.of());
        Outcome batch = runBatch(events, Map.of(), brokenForProcesses, null);

        for (Rule rule : rules()) {
            ExecutionSummary b = batch.summaries().get(rule.ruleId());
            if (rule.index().equals(PROCESS_SOURCES)) {
                assertNotNull(b.error(), rule.ruleId());
                assertTrue(b.error().contains("refused"), b.error());
                assertEquals(
                        Optional.empty(), batch.state().checkpoint(rule.ruleId()), "a failed run keeps no checkpoint");
            } else {
                assertNull(b.error(), rule.ruleId());
                assertEquals(alone.idsOf(rule.ruleId()), batch.idsOf(rule.ruleId()), rule.ruleId());
                assertEquals(
                        alone.state().checkpoint(rule.ruleId()), batch.state().checkpoint(rule.ruleId()));
            }
        }
        assertTrue(alone.idsOf("smb").size() > 0, "the data holds transfers");
    }

    @Example
    void aRuleWhoseAlertsAreRefusedFailsAloneAndTheOthersAlertAsAlone() {
        List<Event> events = transfersAndShells();
        Outcome alone = runAlone(events, Map.of());
        Outcome batch = runBatch(events, Map.of(), TYPES_LOOKUP, "smb");

        ExecutionSummary refused = batch.summaries().get("smb");
        assertNotNull(refused.error());
        assertEquals(Optional.empty(), batch.state().checkpoint("smb"), "its window is read again next time");
        for (Rule rule : rules()) {
            if (!rule.ruleId().equals("smb")) {
                assertNull(batch.summaries().get(rule.ruleId()).error(), rule.ruleId());
                assertEquals(alone.idsOf(rule.ruleId()), batch.idsOf(rule.ruleId()), rule.ruleId());
            }
        }
        assertTrue(alone.idsOf("cmd").size() > 0 && alone.idsOf("smb").size() > 0, "the data holds matches of both");
    }

    /** The fixed types, and the concrete indices every pattern reaches, as a cluster's resolve lists them. */
    private static final FieldTypeLookup TYPES_LOOKUP = new ResolvedIndices(TYPES, INDICES);

    private record Outcome(
            Map<String, ExecutionSummary> summaries,
            Map<String, Set<String>> alertIds,
            InMemoryRunStateStore state,
            int reads) {
        Set<String> idsOf(String ruleId) {
            return alertIds.getOrDefault(ruleId, Set.of());
        }
    }

    private static Outcome runAlone(List<Event> events, Map<String, Instant> checkpoints) {
        InMemoryEventSource source = new InMemoryEventSource(TYPES).addAll(events);
        InMemoryAlertSink sink = new InMemoryAlertSink();
        InMemoryRunStateStore state = state(checkpoints);
        RuleExecutor executor = executor(source, sink, state, TYPES_LOOKUP);
        Map<String, ExecutionSummary> summaries = new LinkedHashMap<>();
        for (Rule rule : rules()) {
            summaries.put(rule.ruleId(), executor.execute(rule, NOW));
        }
        return new Outcome(
                summaries, idsByRule(sink.documents()), state, source.requests().size());
    }

    private static Outcome runBatch(
            List<Event> events, Map<String, Instant> checkpoints, FieldTypeLookup mappings, String refusedRule) {
        InMemoryEventSource source = new InMemoryEventSource(TYPES).addAll(events);
        InMemoryAlertSink sink = new InMemoryAlertSink();
        InMemoryRunStateStore state = state(checkpoints);
        AlertSink target = refusedRule == null ? sink : new RefusingFor(refusedRule, sink);
        BatchExecutor batch = new BatchExecutor(executor(source, target, state, mappings), source, 7);
        Map<String, ExecutionSummary> summaries = new LinkedHashMap<>();
        for (ExecutionSummary summary : batch.execute(rules(), NOW)) {
            summaries.put(summary.ruleId(), summary);
        }
        return new Outcome(
                summaries, idsByRule(sink.documents()), state, source.requests().size());
    }

    private static InMemoryRunStateStore state(Map<String, Instant> checkpoints) {
        InMemoryRunStateStore state = new InMemoryRunStateStore();
        checkpoints.forEach(state::saveCheckpoint);
        return state;
    }

    private static RuleExecutor executor(
            InMemoryEventSource source, AlertSink sink, InMemoryRunStateStore state, FieldTypeLookup mappings) {
        return new RuleExecutor(
                mappings,
                new RunLoop(new WindowDetection(source, 7), "default"),
                sink,
                state,
                new WindowPlanner(Duration.ofHours(1)),
                Clock.fixed(NOW, ZoneOffset.UTC),
                List.of());
    }

    private static Map<String, Set<String>> idsByRule(List<AlertDocument> documents) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (AlertDocument document : documents) {
            String ruleId = document.source().path("kibana.alert.rule.rule_id").asText();
            out.computeIfAbsent(ruleId, k -> new TreeSet<>()).add(document.id() + " " + document.role());
        }
        return out;
    }

    /** The alerts index refusing the alerts of one rule (say, a mapping conflict in its fields). */
    private record RefusingFor(String ruleId, AlertSink target) implements AlertSink {
        @Override
        public Set<String> existing(Collection<String> ids) throws AlertWriteException {
            return target.existing(ids);
        }

        @Override
        public WriteResult write(List<AlertGroup> groups) throws AlertWriteException {
            for (AlertGroup group : groups) {
                if (group.primary()
                        .source()
                        .path("kibana.alert.rule.rule_id")
                        .asText()
                        .equals(ruleId)) {
                    throw new AlertWriteException("alerts of " + ruleId + " refused", WriteSummary.empty(), null);
                }
            }
            return target.write(groups);
        }
    }

    private static List<Event> transfersAndShells() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Instant at = NOW.minus(Duration.ofMinutes(2 + i));
            events.add(event("n" + i, NETWORK, "h" + i, 4, "System", at, at));
            events.add(event("f" + i, FILE, "h" + i, 4, "System", at.plusSeconds(5), at.plusSeconds(5)));
            events.add(event("p" + i, PROCESS, "h" + i, 900 + i, "cmd.exe", at.plusSeconds(7), at.plusSeconds(8)));
        }
        return events;
    }

    @Provide
    Arbitrary<List<Event>> windows() {
        Arbitrary<String> index = Arbitraries.of(INDICES);
        Arbitrary<String> host = Arbitraries.of("h1", "h2", "h3");
        Arbitrary<Integer> pid = Arbitraries.of(4, 100, 4242);
        Arbitrary<String> name = Arbitraries.of("System", "cmd.exe", "powershell.exe", "svchost.exe");
        // Timestamps from 20 minutes before "now" (before the look-back) to just after it, in 1 s steps so that
        // ties happen; arrival up to two minutes later, so that some arrive after "now".
        Arbitrary<Integer> secondsBefore = Arbitraries.integers().between(-5, 1200);
        Arbitrary<Integer> delay = Arbitraries.integers().between(0, 120);
        Arbitrary<String> anyCategory = Arbitraries.of("network", "file", "process", "registry");
        return Combinators.combine(index, host, pid, name, secondsBefore, delay, anyCategory)
                .as((i, h, p, n, before, late, category) -> new Object[] {i, h, p, n, before, late, category})
                .list()
                .ofMaxSize(60)
                .map(specs -> {
                    List<Event> events = new ArrayList<>();
                    for (int k = 0; k < specs.size(); k++) {
                        Object[] s = specs.get(k);
                        String idx = (String) s[0];
                        Instant at = NOW.minusSeconds((Integer) s[4]);
                        String category = CATEGORY_OF_INDEX.getOrDefault(idx, (String) s[6]);
                        events.add(event(
                                "e" + k,
                                idx,
                                category,
                                (String) s[1],
                                (Integer) s[2],
                                (String) s[3],
                                at,
                                at.plusSeconds((Integer) s[5])));
                    }
                    return events;
                });
    }

    /** Most rules on their first run; some with a checkpoint that makes them catch up or read a shorter window. */
    @Provide
    Arbitrary<Map<String, Instant>> checkpoints() {
        Arbitrary<Instant> at = Arbitraries.of(NOW.minus(Duration.ofMinutes(5)), NOW.minus(Duration.ofMinutes(40)));
        return Arbitraries.subsetOf(List.of("smb", "cmd", "sample"))
                .flatMap(ids -> at.list().ofSize(ids.size()).map(instants -> {
                    Map<String, Instant> out = new LinkedHashMap<>();
                    List<String> ordered = new ArrayList<>(new TreeSet<>(ids));
                    for (int k = 0; k < ordered.size(); k++) {
                        out.put(ordered.get(k), instants.get(k));
                    }
                    return out;
                }));
    }

    private static Event event(
            String id, String index, String host, int pid, String name, Instant at, Instant ingested) {
        return event(id, index, CATEGORY_OF_INDEX.get(index), host, pid, name, at, ingested);
    }

    private static Event event(
            String id, String index, String category, String host, int pid, String name, Instant at, Instant ingested) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("@timestamp", at.toString());
        source.put("event", Map.of("category", category, "ingested", ingested.toString()));
        source.put("host", Map.of("id", host));
        source.put("process", Map.of("pid", pid, "name", name));
        return new Event(id, index, at, null, source);
    }

    private static Rule rule(String id, List<String> indices, String eql, String timestampOverride, int maxSignals) {
        return SmbTestData.rule(eql, maxSignals, timestampOverride).toBuilder()
                .identity(id, "rule " + id)
                .index(indices)
                .build();
    }
}
