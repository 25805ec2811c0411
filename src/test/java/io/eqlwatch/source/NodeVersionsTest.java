package io.eqlwatch.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eqlwatch.event.CaseFolding;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeVersionsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "8.19.21;ASCII",
                "9.0.3;ASCII",
                "9.1.0;UNICODE",
                "9.5.4;UNICODE",
                "10.0.0-SNAPSHOT;UNICODE",
                "9.5.4,8.19.21;ASCII",
                "9.2.0,9.1.1;UNICODE",
                "7.17.0;ASCII",
                "garbled;ASCII"
            })
    void theOldestNodeDecidesHowRegexpFoldsCase(String versions, CaseFolding expected) {
        assertEquals(expected, NodeVersions.regexpFoldingOf(Arrays.asList(versions.split(","))));
    }

    @org.junit.jupiter.api.Test
    void noNodeSeenFoldsAsciiOnly() {
        assertEquals(CaseFolding.ASCII, NodeVersions.regexpFoldingOf(List.of()));
    }

    /** A cluster that refuses the nodes-info call (no monitor privilege) is asked once per pause, not per read. */
    @org.junit.jupiter.api.Test
    void aRefusalIsNotAskedAgainAtEveryRead() throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer server =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            asked.incrementAndGet();
            byte[] body = ("{\"error\":{\"type\":\"security_exception\",\"reason\":\"action"
                            + " [cluster:monitor/nodes/info] is unauthorized\"},\"status\":403}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            NodeVersions nodes = new NodeVersions(
                    io.eqlwatch.es.ElasticsearchClients.create(url), url, io.eqlwatch.es.RetryPolicy.NONE);
            assertEquals(CaseFolding.ASCII, nodes.regexpFolding());
            assertEquals(CaseFolding.ASCII, nodes.regexpFolding());
            assertEquals(CaseFolding.ASCII, nodes.regexpFolding());
            assertEquals(1, asked.get());
        } finally {
            server.stop(0);
        }
    }
}
