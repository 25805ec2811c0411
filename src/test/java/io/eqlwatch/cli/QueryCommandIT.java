package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.demo.DefendDataset;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code eqlwatch query --index ...} against a real Elasticsearch with Elastic Defend mappings. */
class QueryCommandIT {

    private static final ElasticsearchHarness es = ElasticsearchHarness.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY = "sequence by host.id with maxspan=30s\n"
            + "  [network where destination.port == 445 and process.pid == 4 and source.ip != \"::1\"] by process.entity_id\n"
            + "  [file where file.extension : \"EXE\"] by process.entity_id";

    private static String network;
    private static String file;

    @BeforeAll
    static void indexEvents() {
        network = es.uniqueIndexName("logs-endpoint.events.network");
        file = es.uniqueIndexName("logs-endpoint.events.file");
        es.createIndex(network, DefendDataset.NETWORK);
        es.createIndex(file, DefendDataset.FILE);
        es.bulkIndex(
                network,
                List.of(
                        networkEvent("2024-05-01T10:00:00Z", "h1", "10.0.0.5", "p1"),
                        // loopback written in full: as an ip field it equals ::1, so this host has no match
                        networkEvent("2024-05-01T10:00:01Z", "h2", "0:0:0:0:0:0:0:1", "p2"),
                        // outside the window queried below
                        networkEvent("2024-05-01T09:00:00Z", "h3", "10.0.0.7", "p3")),
                List.of("net-h1", "net-h2", "net-h3"));
        es.bulkIndex(
                file,
                List.of(
                        fileEvent("2024-05-01T10:00:04Z", "h1", "p1"),
                        fileEvent("2024-05-01T10:00:05Z", "h2", "p2"),
                        fileEvent("2024-05-01T09:00:05Z", "h3", "p3")),
                List.of("file-h1", "file-h2", "file-h3"));
    }

    private static Map<String, Object> networkEvent(String at, String host, String sourceIp, String entity) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("@timestamp", at);
        event.put("event", Map.of("category", "network", "type", "start"));
        event.put("host", Map.of("id", host, "name", "ws-" + host));
        event.put("process", Map.of("pid", 4, "entity_id", entity, "name", "System"));
        event.put("source", Map.of("ip", sourceIp));
        event.put("destination", Map.of("ip", "10.0.0.9", "port", 445));
        return event;
    }

    private static Map<String, Object> fileEvent(String at, String host, String entity) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("@timestamp", at);
        event.put("event", Map.of("category", "file", "type", "creation"));
        event.put("host", Map.of("id", host, "name", "ws-" + host));
        event.put("process", Map.of("pid", 4, "entity_id", entity));
        event.put("file", Map.of("path", "C:\\Windows\\Temp\\tool.exe", "extension", "exe"));
        return event;
    }

    @Test
    void aSequenceRunsOverTheIndicesWithTheirMappedTypes() throws Exception {
        CommandRun run = CommandRun.of(
                "query",
                "--eql",
                QUERY,
                "--es-url",
                es.url(),
                "--index",
                network + "," + file,
                "--from",
                "2024-05-01T09:30:00Z",
                "--to",
                "2024-05-01T10:30:00Z",
                "--format",
                "ndjson");

        assertEquals(0, run.exitCode, run.err);
        List<String> lines = run.out.lines().toList();
        assertEquals(1, lines.size(), run.out);
        JsonNode match = JSON.readTree(lines.get(0));
        assertEquals(JSON.valueToTree(List.of("h1", "p1")), match.get("join_keys"));
        assertEquals(
                JSON.valueToTree(networkEvent("2024-05-01T10:00:00Z", "h1", "10.0.0.5", "p1")),
                match.get("events").get(0));
        assertEquals(
                JSON.valueToTree(fileEvent("2024-05-01T10:00:04Z", "h1", "p1")),
                match.get("events").get(1));
        assertTrue(run.err.startsWith("1 match(es) over "), run.err);
    }

    @Test
    void theWindowIsRespectedAndIndicesMayBeRepeated() throws Exception {
        CommandRun run = CommandRun.of(
                "query",
                "--eql",
                "network where process.pid == 4",
                "--es-url",
                es.url(),
                "--index",
                network,
                "--index",
                file,
                "--from",
                "2024-05-01T08:00:00Z",
                "--to",
                "2024-05-01T09:59:59Z",
                "--format",
                "ndjson");

        assertEquals(0, run.exitCode, run.err);
        assertEquals(1, run.out.lines().toList().size(), run.out);
        assertEquals(
                "h3",
                JSON.readTree(run.out.lines().toList().get(0))
                        .at("/events/0/host/id")
                        .asText());
    }

    @Test
    void theTableFormatWorksOverElasticsearchToo() {
        CommandRun run = CommandRun.of(
                "query",
                "--eql",
                QUERY,
                "--es-url",
                es.url(),
                "--index",
                network + "," + file,
                "--from",
                "2024-05-01T09:30:00Z",
                "--to",
                "2024-05-01T10:30:00Z");

        assertEquals(0, run.exitCode, run.err);
        assertTrue(run.out.contains("1      h1, p1     2024-05-01T10:00:00Z  network"), run.out);
        assertTrue(run.out.contains("1 match(es) over "), run.out);
    }
}
