package io.eqlwatch.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eqlwatch.source.EventReader;
import io.eqlwatch.source.EventStream;
import io.eqlwatch.source.ReadRequest;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoDataLoaderIT {

    private static final ElasticsearchHarness es = ElasticsearchHarness.shared();
    private final String namespace = es.uniqueIndexName("demo");

    @AfterEach
    void deleteIndices() {
        es.deleteIndices(DefendDataset.FILE.indexName(namespace), DefendDataset.NETWORK.indexName(namespace));
    }

    @Test
    void loadsOneAttackAndEveryLookAlikeInsideTheRulesLookBack() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        DemoDataLoader.Loaded loaded = new DemoDataLoader(es.client()).load(now, 2024, namespace, 200);

        assertEquals(1, loaded.expectedAlerts().size());
        assertEquals(ScenarioKind.ATTACK, loaded.expectedAlerts().get(0).kind());
        assertEquals(
                1
                        + (int) java.util.Arrays.stream(ScenarioKind.values())
                                .filter(k -> !k.shouldAlert())
                                .count(),
                loaded.scenarios().size());
        assertEquals(200 + 2 * loaded.scenarios().size(), loaded.totalEvents());
        try (EventStream events = new EventReader(es.client(), es.url())
                .read(ReadRequest.of(
                        List.of("logs-endpoint.events.*-" + namespace), null, now.minus(Duration.ofMinutes(9)), now))) {
            long read = events.stream().count();
            assertEquals(loaded.totalEvents(), read);
        }
    }
}
