package io.eqlwatch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eqlwatch.eql.EqlParser;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The SMB lateral tool transfer rule's own query text, parsed and run with the real evaluator over
 * Elastic Defend-shaped events: the attack is found and each benign look-alike of issue 2 is not.
 */
class FirstRuleEndToEndTest {

    private static final Query RULE = EqlParser.parse(
            """
            sequence by host.id with maxspan=30s
              [network where host.os.type == "windows" and event.type == "start" and process.pid == 4 and destination.port == 445 and
               network.direction : ("incoming", "ingress") and
               network.transport == "tcp" and source.ip != "127.0.0.1" and source.ip != "::1"
              ] by process.entity_id
              /* add more executable extensions here if they are not noisy in your environment */
              [file where host.os.type == "windows" and event.type in ("creation", "change") and process.pid == 4 and
               (file.Ext.header_bytes : "4d5a*" or file.extension : ("exe", "scr", "pif", "com", "dll"))] by process.entity_id
            """);

    private static final FieldTypes TYPES = new FieldTypes(Map.of(
            "event.category",
            FieldType.KEYWORD,
            "event.type",
            FieldType.KEYWORD,
            "host.id",
            FieldType.KEYWORD,
            "host.os.type",
            FieldType.KEYWORD,
            "process.pid",
            FieldType.LONG,
            "destination.port",
            FieldType.LONG,
            "network.direction",
            FieldType.KEYWORD,
            "network.transport",
            FieldType.KEYWORD,
            "source.ip",
            FieldType.IP,
            "process.entity_id",
            FieldType.KEYWORD));

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private static Event network(String id, long ms, Consumer<Map<String, Object>> change) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("event", new LinkedHashMap<>(Map.of("category", List.of("network"), "type", List.of("start"))));
        s.put("host", Map.of("id", "host-1", "os", Map.of("type", "windows")));
        s.put("process", new LinkedHashMap<>(Map.of("pid", 4, "entity_id", "system-4")));
        s.put("destination", new LinkedHashMap<>(Map.of("port", 445)));
        s.put("network", new LinkedHashMap<>(Map.of("direction", "Incoming", "transport", "tcp")));
        s.put("source", new LinkedHashMap<>(Map.of("ip", "10.1.2.3")));
        change.accept(s);
        return new Event(id, "logs-endpoint.events.network-default", T0.plusMillis(ms), null, s);
    }

    private static Event file(String id, long ms, Consumer<Map<String, Object>> change) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("event", new LinkedHashMap<>(Map.of("category", List.of("file"), "type", List.of("creation"))));
        s.put("host", Map.of("id", "host-1", "os", Map.of("type", "windows")));
        s.put("process", new LinkedHashMap<>(Map.of("pid", 4, "entity_id", "system-4")));
        s.put(
                "file",
                new LinkedHashMap<>(Map.of("name", "tool.exe", "extension", "exe", "path", "C:\\Windows\\tool.exe")));
        change.accept(s);
        return new Event(id, "logs-endpoint.events.file-default", T0.plusMillis(ms), null, s);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sub(Map<String, Object> s, String key) {
        return (Map<String, Object>) s.get(key);
    }

    private static List<Match> run(Event... events) {
        return QueryRunner.run(RULE, List.of(events), new Evaluator(TYPES));
    }

    @Test
    void attackIsDetected() {
        List<Match> matches = run(network("n", 0, s -> {}), file("f", 2_000, s -> {}));
        assertEquals(1, matches.size());
        assertEquals(
                List.of("n", "f"),
                matches.get(0).events().stream().map(Event::id).toList());
        assertEquals(List.of("host-1", "system-4"), matches.get(0).joinKeys());
    }

    @Test
    void benignLookAlikesAreNot() {
        List<List<Event>> benign = new ArrayList<>();
        benign.add(List.of(network("n", 0, s -> sub(s, "destination").put("port", 139)), file("f", 1_000, s -> {})));
        benign.add(List.of(network("n", 0, s -> sub(s, "source").put("ip", "127.0.0.1")), file("f", 1_000, s -> {})));
        benign.add(List.of(
                network("n", 0, s -> sub(s, "source").put("ip", "0:0:0:0:0:0:0:1")), file("f", 1_000, s -> {})));
        benign.add(List.of(network("n", 0, s -> sub(s, "process").put("pid", 1234)), file("f", 1_000, s -> {})));
        benign.add(List.of(
                network("n", 0, s -> sub(s, "network").put("direction", "outgoing")), file("f", 1_000, s -> {})));
        benign.add(List.of(network("n", 0, s -> {}), file("f", 1_000, s -> {
            sub(s, "file").put("extension", "txt");
            sub(s, "file").put("name", "notes.txt");
        })));
        benign.add(List.of(file("f", 0, s -> {}), network("n", 1_000, s -> {})));
        benign.add(List.of(network("n", 0, s -> {}), file("f", 30_001, s -> {})));
        benign.add(List.of(network("n", 0, s -> {}), file("f", 1_000, s -> sub(s, "process")
                .put("entity_id", "other"))));
        benign.add(List.of(
                network("n", 0, s -> {}),
                file("f", 1_000, s -> s.put("host", Map.of("id", "host-2", "os", Map.of("type", "windows"))))));
        for (List<Event> events : benign) {
            assertEquals(List.of(), QueryRunner.run(RULE, events, new Evaluator(TYPES)), events.toString());
        }
    }

    @Test
    void mzHeaderCountsWithoutAnExecutableExtension() {
        List<Match> matches = run(network("n", 0, s -> {}), file("f", 30_000, s -> {
            sub(s, "file").put("extension", "dat");
            sub(s, "file").put("Ext", Map.of("header_bytes", "4D5A9000"));
        }));
        assertEquals(1, matches.size());
    }
}
