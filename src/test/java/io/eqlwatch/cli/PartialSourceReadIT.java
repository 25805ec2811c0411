package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.alert.AlertDocument;
import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.eql.analysis.QueryFields;
import io.eqlwatch.event.Event;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.schedule.CappedWrite;
import io.eqlwatch.schedule.CheckpointPolicy;
import io.eqlwatch.schedule.RunLoop;
import io.eqlwatch.schedule.TimeWindow;
import io.eqlwatch.schedule.WindowDetection;
import io.eqlwatch.source.EventCursor;
import io.eqlwatch.source.EventReader;
import io.eqlwatch.source.EventSource;
import io.eqlwatch.source.FieldMappings;
import io.eqlwatch.source.ReadRequest;
import io.eqlwatch.source.SkippedEvent;
import io.eqlwatch.testing.ElasticsearchHarness;
import io.eqlwatch.testing.InMemoryAlertSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run reads only the fields its rule reads and fetches the events of its alerts whole: against a real
 * Elasticsearch, the alert documents it writes are exactly those a run reading every event whole writes.
 */
class PartialSourceReadIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String EXECUTION = "execution-1";

    @TempDir
    Path folder;

    @Test
    void theSmbRulesAlertsAreTheSameAsFromWholeReads() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        DefendEventGenerator generator = new DefendEventGenerator(7);
        List<Scenario> scenarios = generator.everyScenario(NOW.minus(Duration.ofSeconds(510)), Duration.ofSeconds(25));
        fixture.indexScenarios(scenarios);
        fixture.index(generator.noise(NOW.minus(Duration.ofMinutes(9)), NOW, 400));
        Rule rule = new RuleLoader().loadFile(fixture.rules.resolve("lateral_tool_transfer_smb.yml"));

        Runs runs = runBoth(rule);

        assertFalse(runs.partial().isEmpty(), "the scenarios raise alerts");
        assertEquals(runs.whole(), runs.partial());
        Event read = runs.eventsRead().get(0);
        assertNull(read.source().get("agent"), "a field the rule does not read is not read: " + read.source());
        assertTrue(
                runs.partial().values().stream().anyMatch(doc -> doc.contains("\"agent\"")),
                "yet the alerts carry it, fetched whole");
    }

    @Test
    void aliasesDottedAndNestedKeysArraysAndNullsGiveTheSameAlerts() throws IOException {
        String index = ES.uniqueIndexName("partial-read");
        ES.createIndex(
                index,
                ElasticsearchHarness.json(
                        """
                {"properties": {
                  "@timestamp": {"type": "date"},
                  "event": {"properties": {"category": {"type": "keyword"}, "kind": {"type": "keyword"}}},
                  "host": {"properties": {"id": {"type": "keyword"}, "name": {"type": "keyword"}}},
                  "process": {"properties": {"name": {"type": "keyword"}, "pid": {"type": "long"},
                                             "args": {"type": "keyword"}}},
                  "proc": {"properties": {"name": {"type": "alias", "path": "process.name"}}},
                  "file": {"properties": {"path": {"type": "keyword"}}},
                  "dll": {"properties": {"name": {"type": "keyword"}}},
                  "user": {"properties": {"name": {"type": "keyword", "null_value": "nobody"}}}
                }}"""));
        List<Object> documents = new ArrayList<>();
        documents.add(
                ElasticsearchHarness.json(
                        """
                {"@timestamp": "2026-11-28T11:55:00.000123456Z", "event": {"category": "process", "kind": "event"},
                 "host.id": "h1", "host": {"name": "box", "os": {"type": "windows"}},
                 "process.name": "cmd.exe", "process": {"pid": 4, "args": ["/c", "copy", null]},
                 "user": {"name": null}, "extra": {"deep": {"x": [{"y": 1}, {"y": 2, "z": [3, 4]}]}}, "message": "started"}"""));
        documents.add(
                ElasticsearchHarness.json(
                        """
                {"@timestamp": "2026-11-28T11:55:05Z", "event.category": "file",
                 "host": {"id": "h1", "name": "box"},
                 "file": {"path": "C:\\\\Windows\\\\evil.exe", "hash.sha256": "abc"},
                 "dll": [{"name": "a.dll", "path": "C:\\\\a.dll"}, {"name": "b.dll"}],
                 "process": {"name": "System", "pid": 4}, "tags": ["t1", "t2"], "unrelated": null}"""));
        documents.add(
                ElasticsearchHarness.json(
                        """
                {"@timestamp": "2026-11-28T11:55:06Z", "event": {"category": "process"},
                 "host": {"id": "h2"}, "process": {"name": "cmd.exe", "pid": 8}, "user": {"name": "bob"}}"""));
        ES.bulkIndex(index, documents);
        Path rules = Files.createDirectories(folder.resolve("custom"));
        Path sequence = rules.resolve("sequence.yml");
        Files.writeString(
                sequence,
                rule(
                        "seq-rule",
                        index,
                        """
                sequence by host.id with maxspan=1m
                  [process where proc.name == "cmd.exe" and user.name == "nobody" and ?process.parent.name == null]
                  [file where dll.name == "b.dll" and process.pid == 4]"""));
        Path single = rules.resolve("single.yml");
        Files.writeString(
                single,
                rule(
                        "event-rule",
                        index,
                        """
                process where proc.name == "cmd.exe" and process.args == "copy\""""));

        Runs sequenceRuns = runBoth(new RuleLoader().loadFile(sequence));
        Runs singleRuns = runBoth(new RuleLoader().loadFile(single));

        assertEquals(3, sequenceRuns.partial().size(), "two building blocks and a shell: " + sequenceRuns);
        assertEquals(sequenceRuns.whole(), sequenceRuns.partial());
        assertEquals(1, singleRuns.partial().size(), "h1's start of cmd.exe with 'copy': " + singleRuns);
        assertEquals(singleRuns.whole(), singleRuns.partial());
        String block = sequenceRuns.partial().values().stream()
                .filter(doc -> doc.contains("\"os\""))
                .findFirst()
                .orElseThrow();
        assertTrue(block.contains("\"windows\""), "the alert carries what the rule does not read: " + block);
        for (Event event : sequenceRuns.eventsRead()) {
            assertNull(event.source().get("message"), "read: " + event.source());
            assertNull(event.source().get("tags"), "read: " + event.source());
        }
    }

    private static String rule(String id, String index, String query) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("rule_id: ").append(id).append('\n');
        yaml.append("name: ").append(id).append('\n');
        yaml.append("description: partial reads\n");
        yaml.append("type: eql\n");
        yaml.append("index:\n  - ").append(index).append('\n');
        yaml.append("severity: low\nrisk_score: 21\ninterval: 5m\nfrom: now-9m\n");
        yaml.append("query: |\n");
        query.lines().forEach(line -> yaml.append("  ").append(line).append('\n'));
        return yaml.toString();
    }

    /**
     * The alert documents (by id, as JSON) of one run that reads as a run does and of one whose reads are made
     * whole, and the events the first read.
     */
    private record Runs(Map<String, String> partial, Map<String, String> whole, List<Event> eventsRead) {}

    private static Runs runBoth(Rule rule) {
        RulePlan plan = Planner.plan(
                rule,
                new FieldMappings(ES.client(), ES.url())
                        .forFields(rule.index(), QueryFields.readBy(rule.query(), rule.eventCategoryField())),
                NOW);
        EventReader reader = new EventReader(ES.client(), ES.url());
        List<Event> read = Collections.synchronizedList(new ArrayList<>());
        EventSource recording = new EventSource() {
            @Override
            public EventCursor read(ReadRequest request) {
                return new Recording(reader.read(request), read);
            }

            @Override
            public List<Event> withFullSources(List<Event> events) {
                return reader.withFullSources(events);
            }
        };
        EventSource whole = request -> reader.read(request.withSourceFields(null));
        return new Runs(alerts(plan, recording), alerts(plan, whole), List.copyOf(read));
    }

    private static Map<String, String> alerts(RulePlan plan, EventSource source) {
        InMemoryAlertSink sink = new InMemoryAlertSink();
        RunLoop.Outcome outcome = new RunLoop(new WindowDetection(source, 2), "default")
                .run(
                        plan,
                        List.of(new TimeWindow(NOW.minus(Duration.ofMinutes(9)), NOW)),
                        sink,
                        CheckpointPolicy.NONE,
                        CappedWrite.UNLIMITED,
                        EXECUTION,
                        NOW,
                        RunLoop.WindowListener.NONE);
        assertNull(outcome.failure(), String.valueOf(outcome.failure()));
        Map<String, String> out = new LinkedHashMap<>();
        for (AlertDocument document : sink.documents()) {
            JsonNode alert = document.source();
            out.put(document.id(), alert.toString());
        }
        return out;
    }

    /** Passes a cursor's events on, keeping each. */
    private record Recording(EventCursor cursor, List<Event> kept) implements EventCursor {
        @Override
        public boolean hasNext() {
            return cursor.hasNext();
        }

        @Override
        public Event next() {
            Event event = cursor.next();
            kept.add(event);
            return event;
        }

        @Override
        public long eventsRead() {
            return cursor.eventsRead();
        }

        @Override
        public long skipped() {
            return cursor.skipped();
        }

        @Override
        public List<SkippedEvent> skippedEvents() {
            return cursor.skippedEvents();
        }

        @Override
        public void close() {
            cursor.close();
        }
    }
}
