package io.eqlwatch.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.demo.DefendDataset;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The 8.19 Java client against the server of this run: the build runs it once against Elasticsearch 8.19 and
 * once against 9.x (see the two failsafe executions), which shows the chosen client works with both.
 */
class ClientCompatibilityIT {

    private static final ElasticsearchHarness es = ElasticsearchHarness.shared();
    private final String index = es.uniqueIndexName("logs-endpoint.events.network");

    @AfterEach
    void deleteIndex() {
        es.deleteIndices(index);
    }

    @Test
    void serverIsTheVersionThisRunAskedFor() {
        // With ES_URL the cluster is whatever the user gave, but it must be one this client supports.
        String expected = es.origin().equals("ES_URL") ? es.serverVersion() : ElasticsearchHarness.requestedVersion();
        assertEquals(expected, es.serverVersion());
        assertTrue(
                es.serverVersion().startsWith("8.19.") || es.serverVersion().startsWith("9."),
                "client 8.19 is meant for 8.19 and 9.x servers, not " + es.serverVersion());
    }

    @Test
    void indexesOpensPointInTimeAndSearchesWithSearchAfter() throws IOException {
        es.createIndex(index, DefendDataset.NETWORK);
        es.bulkIndex(
                index,
                List.of(
                        Map.of("@timestamp", "2024-05-01T10:00:02Z", "destination", Map.of("port", 445)),
                        Map.of("@timestamp", "2024-05-01T10:00:01Z", "destination", Map.of("port", 139)),
                        Map.of("@timestamp", "2024-05-01T10:00:03Z", "destination", Map.of("port", 445))));

        ElasticsearchClient client = es.client();
        String pit = client.openPointInTime(p -> p.index(index).keepAlive(k -> k.time("1m")))
                .id();
        try {
            SearchResponse<ObjectNode> first = client.search(
                    s -> s.pit(p -> p.id(pit))
                            .size(2)
                            .query(q -> q.term(t -> t.field("destination.port").value(445)))
                            .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Asc)))
                            .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc))),
                    ObjectNode.class);
            assertEquals(2, first.hits().hits().size());
            assertEquals(
                    "2024-05-01T10:00:02Z",
                    first.hits().hits().get(0).source().get("@timestamp").asText());
            assertFalse(first.hits().hits().get(1).sort().isEmpty());
            assertNotNull(first.pitId());

            SearchResponse<ObjectNode> second = client.search(
                    s -> s.pit(p -> p.id(first.pitId()))
                            .size(2)
                            .query(q -> q.term(t -> t.field("destination.port").value(445)))
                            .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Asc)))
                            .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)))
                            .searchAfter(first.hits().hits().get(1).sort()),
                    ObjectNode.class);
            assertEquals(0, second.hits().hits().size());
        } finally {
            client.closePointInTime(c -> c.id(pit));
        }
    }
}
