package io.eqlwatch.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Starts nodes of its own (besides the harness's shared one), of the version this test run is about.
 * Each start takes some 15-25 s, so this stays small.
 */
class LocalElasticsearchIT {

    private final String version = ElasticsearchHarness.requestedVersion();

    @Test
    void startsAnswersAndStopsTheWholeProcessTreeAndItsTemporaryData() throws Exception {
        LocalElasticsearch node = LocalElasticsearch.builder(version)
                .startupTimeout(Duration.ofMinutes(4))
                .start();
        Path workDir = node.workDir();
        List<ProcessHandle> tree;
        try (ElasticsearchClient client = ElasticsearchClients.create(ElasticsearchConnection.of(node.url()))) {
            assertTrue(node.url().startsWith("http://127.0.0.1:"), node.url());
            assertEquals(HealthStatus.Green, client.cluster().health().status());
            client.indices().create(c -> c.index("smoke"));
            assertTrue(client.indices().exists(e -> e.index("smoke")).value());
            // Deleting by wildcard stays refused: the node keeps Elasticsearch's default.
            assertThrows(Exception.class, () -> client.indices().delete(d -> d.index("smo*")));
            tree = ProcessHandle.of(node.pid()).orElseThrow().descendants().toList();
            assertFalse(tree.isEmpty(), "the launcher runs the server as a child process");
            assertTrue(Files.readString(node.consoleLog()).contains("started"));
        } finally {
            node.close();
        }
        assertFalse(node.isRunning());
        for (ProcessHandle p : tree) {
            assertFalse(p.isAlive(), "still running: " + p.pid());
        }
        assertTrue(Files.notExists(workDir), "temporary work directory deleted");
    }

    @Test
    void aNodeThatCannotStartFailsWithTheTailOfItsLog() {
        LocalElasticsearchException e =
                assertThrows(LocalElasticsearchException.class, () -> LocalElasticsearch.builder(version)
                        .setting("no.such.setting", "x")
                        .startupTimeout(Duration.ofMinutes(3))
                        .start()
                        .close());
        assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
        assertTrue(e.getMessage().contains("no.such.setting"), "the log tail names the cause: " + e.getMessage());
    }
}
