package io.eqlwatch.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.source.EventReader;
import io.eqlwatch.source.EventStream;
import io.eqlwatch.source.FieldMappings;
import io.eqlwatch.source.ReadRequest;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generated Defend events in a real Elasticsearch, mapped by the bundled index templates. */
class DefendDataIT {

    private static final ElasticsearchHarness es = ElasticsearchHarness.shared();
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    /** The rule's network stage as a query; what matches must be exactly the scenarios whose first half is real. */
    private static final JsonNode NETWORK_STAGE = ElasticsearchHarness.json(
            """
            {"bool": {
               "filter": [
                 {"term": {"event.category": "network"}},
                 {"term": {"host.os.type": "windows"}},
                 {"term": {"event.type": "start"}},
                 {"term": {"process.pid": 4}},
                 {"term": {"destination.port": 445}},
                 {"terms": {"network.direction": ["incoming", "ingress"]}},
                 {"term": {"network.transport": "tcp"}}
               ],
               "must_not": [
                 {"term": {"source.ip": "127.0.0.1"}},
                 {"term": {"source.ip": "::1"}}
               ]}}""");

    private final List<String> created = new ArrayList<>();

    @AfterEach
    void deleteIndices() {
        es.deleteIndices(created.toArray(String[]::new));
    }

    @Test
    void templatesMapTheIndicesTheRuleReadsAndEveryGeneratedDocumentIsAccepted() throws java.io.IOException {
        // A namespace of its own keeps the names unique and inside the templates' patterns.
        String namespace = es.uniqueIndexName("it");
        DefendEventGenerator generator = new DefendEventGenerator(11, namespace);
        List<Scenario> scenarios = generator.everyScenario(T0, Duration.ofMinutes(2));
        List<GeneratedEvent> events = new ArrayList<>(generator.noise(T0, T0.plus(Duration.ofMinutes(40)), 400));
        scenarios.forEach(s -> events.addAll(s.events()));

        // Installs the templates, then fails on any rejected document, e.g. a value its mapped type refuses.
        String[] indices = es.indexEvents(namespace, events);
        created.addAll(List.of(indices));
        assertEquals(
                Set.of(DefendDataset.FILE.indexName(namespace), DefendDataset.NETWORK.indexName(namespace)),
                Set.of(indices));

        FieldTypes types =
                new FieldMappings(es.client(), es.url()).read(List.of("logs-endpoint.events.*-" + namespace));
        assertEquals(FieldType.IP, types.of("source.ip"));
        assertEquals(FieldType.LONG, types.of("process.pid"));
        assertEquals(FieldType.KEYWORD, types.of("file.Ext.header_bytes"));
        assertEquals(FieldType.DATE, types.of("event.ingested"));

        EventReader reader = new EventReader(es.client(), es.url());
        Set<String> matchedHosts = new TreeSet<>();
        try (EventStream stream = reader.read(ReadRequest.of(
                List.of("logs-endpoint.events.network-" + namespace),
                NETWORK_STAGE,
                T0.minusSeconds(60),
                T0.plus(Duration.ofHours(1))))) {
            stream.forEachRemaining((Event e) -> matchedHosts.add((String) e.first("host.id")));
        }
        Set<ScenarioKind> networkHalfFails = Set.of(
                ScenarioKind.PORT_139,
                ScenarioKind.LOOPBACK_SOURCE,
                ScenarioKind.LOOPBACK_SOURCE_IPV6,
                ScenarioKind.PID_NOT_4,
                ScenarioKind.OUTGOING_DIRECTION);
        Set<String> expected = scenarios.stream()
                .filter(s -> !networkHalfFails.contains(s.kind()))
                .map(Scenario::hostId)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, matchedHosts);

        long total = es.client().count(c -> c.index(List.of(indices))).count();
        assertEquals(events.size(), total);
    }
}
