package io.eqlwatch.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.demo.DefendDataset;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.ElasticsearchClients;
import io.eqlwatch.es.ElasticsearchConnection;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.event.Event;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventReaderIT {

    private static final ElasticsearchHarness es = ElasticsearchHarness.shared();
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private final List<String> created = new ArrayList<>();
    private final EventReader reader = new EventReader(es.client(), es.url());

    @AfterEach
    void deleteIndices() {
        es.deleteIndices(created.toArray(String[]::new));
    }

    private String index(String prefix, DefendDataset dataset) {
        String name = es.uniqueIndexName(prefix);
        es.createIndex(name, dataset);
        created.add(name);
        return name;
    }

    private static Map<String, Object> event(Instant at, String hostId, long sequence) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@timestamp", at.toString());
        doc.put("host", Map.of("id", hostId));
        doc.put("event", Map.of("sequence", sequence));
        return doc;
    }

    private static List<Event> readAll(EventStream stream) {
        try (stream) {
            List<Event> out = new ArrayList<>();
            stream.forEachRemaining(out::add);
            return out;
        }
    }

    @Test
    void readsTwoIndicesInTimestampOrderWithTheirConcreteIndexNames() {
        String prefix = es.uniqueIndexName("logs-endpoint.events");
        String network = prefix + "-network";
        String file = prefix + "-file";
        es.createIndex(network, DefendDataset.NETWORK);
        es.createIndex(file, DefendDataset.FILE);
        created.addAll(List.of(network, file));
        es.bulkIndex(network, List.of(event(T0.plusSeconds(1), "n1", 1), event(T0.plusSeconds(4), "n4", 4)));
        es.bulkIndex(file, List.of(event(T0.plusSeconds(3), "f3", 3), event(T0.plusSeconds(2), "f2", 2)));

        List<Event> events = readAll(reader.read(ReadRequest.of(List.of(prefix + "-*"), null, T0, T0.plusSeconds(60))));

        assertEquals(
                List.of("n1", "f2", "f3", "n4"),
                events.stream().map(e -> (String) e.first("host.id")).toList());
        assertEquals(
                List.of(network, file, file, network),
                events.stream().map(Event::index).toList());
        assertEquals(
                List.of(T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3), T0.plusSeconds(4)),
                events.stream().map(Event::timestamp).toList());
        assertTrue(events.stream().allMatch(e -> e.id() != null && !e.id().isEmpty()));
    }

    @Test
    void windowIsInclusiveAtBothEndsAndTheFilterApplies() {
        String name = index("logs-endpoint.events.network", DefendDataset.NETWORK);
        es.bulkIndex(
                name,
                List.of(
                        event(T0.minusMillis(1), "before", 1),
                        event(T0, "first", 2),
                        event(T0.plusSeconds(5), "other-host", 3),
                        event(T0.plusSeconds(10), "last", 4),
                        event(T0.plusSeconds(10).plusMillis(1), "after", 5)));
        JsonNode filter =
                ElasticsearchHarness.json("{\"bool\":{\"must_not\":[{\"term\":{\"host.id\":\"other-host\"}}]}}");

        List<Event> events = readAll(reader.read(ReadRequest.of(List.of(name), filter, T0, T0.plusSeconds(10))));

        assertEquals(
                List.of("first", "last"),
                events.stream().map(e -> (String) e.first("host.id")).toList());
    }

    @Test
    void equalTimestampsAreOrderedByTheTiebreaker() {
        String name = index("logs-endpoint.events.file", DefendDataset.FILE);
        es.bulkIndex(name, List.of(event(T0, "third", 30), event(T0, "first", 10), event(T0, "second", 20)));

        List<Event> events =
                readAll(reader.read(ReadRequest.of(List.of(name), null, T0, T0).withTiebreakerField("event.sequence")));

        assertEquals(
                List.of("first", "second", "third"),
                events.stream().map(e -> (String) e.first("host.id")).toList());
        assertEquals(
                List.of(10L, 20L, 30L), events.stream().map(Event::tiebreaker).toList());
    }

    @Test
    void pagesThroughMoreThanOnePageWithoutLosingOrRepeatingAnEvent() {
        String name = index("logs-endpoint.events.network", DefendDataset.NETWORK);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            // Pairs of equal timestamps make the _shard_doc tiebreak matter at page edges.
            docs.add(event(T0.plusSeconds(i / 2), "h" + i, i));
        }
        es.bulkIndex(name, docs);

        EventStream stream = reader.read(
                ReadRequest.of(List.of(name), null, T0, T0.plusSeconds(3600)).withPageSize(100));
        List<Event> events = readAll(stream);

        assertEquals(250, events.size());
        assertEquals(250, new HashSet<>(events.stream().map(Event::id).toList()).size());
        for (int i = 1; i < events.size(); i++) {
            assertFalse(events.get(i).timestamp().isBefore(events.get(i - 1).timestamp()), "out of order at " + i);
        }
        assertEquals(3, stream.pages());
        assertEquals(250, stream.eventsRead());
    }

    @Test
    void closesThePointInTimeWhenClosedEarlyAndWhenReadToTheEnd() throws IOException, InterruptedException {
        String name = index("logs-endpoint.events.network", DefendDataset.NETWORK);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            docs.add(event(T0.plusSeconds(i), "h" + i, i));
        }
        es.bulkIndex(name, docs);
        long before = openPointsInTime();

        EventStream early = reader.read(
                ReadRequest.of(List.of(name), null, T0, T0.plusSeconds(60)).withPageSize(10));
        assertTrue(early.hasNext());
        assertEquals(before + 1, openPointsInTime(), "one point in time (one shard) open while reading");
        early.close();
        assertEquals(before, openPointsInTime(), "closed early");

        EventStream full = reader.read(
                ReadRequest.of(List.of(name), null, T0, T0.plusSeconds(60)).withPageSize(10));
        int n = 0;
        while (full.hasNext()) {
            full.next();
            n++;
        }
        assertEquals(30, n);
        // Released in the background once the last page is in: within moments, and before close().
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (openPointsInTime() != before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(before, openPointsInTime(), "released after the last page, before close()");
        full.close();
    }

    @Test
    void missingIndicesAndPatternsMatchingNothingGiveNoEventsNotAnError() {
        String name = index("logs-endpoint.events.network", DefendDataset.NETWORK);
        es.bulkIndex(name, List.of(event(T0, "h", 1)));
        String missing = es.uniqueIndexName("no-such-index");

        assertEquals(List.of(), readAll(reader.read(ReadRequest.of(List.of(missing), null, T0, T0))));
        assertEquals(List.of(), readAll(reader.read(ReadRequest.of(List.of(missing + "-*"), null, T0, T0))));
        assertEquals(
                1,
                readAll(reader.read(ReadRequest.of(List.of(missing, name, missing + "-*"), null, T0, T0)))
                        .size());
    }

    @Test
    void countsManyReadsInOneRoundTripEachUpToTheLimitAndARefusedOneAsUnknown() {
        String name = index("logs-endpoint.events.network", DefendDataset.NETWORK);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            docs.add(event(T0.plusSeconds(i), i % 3 == 0 ? "three" : "other", i));
        }
        es.bulkIndex(name, docs);
        JsonNode three = ElasticsearchHarness.json("{\"term\":{\"host.id\":\"three\"}}");
        JsonNode nobody = ElasticsearchHarness.json("{\"term\":{\"host.id\":\"nobody\"}}");
        // A regexp over a numeric field: the cluster refuses this one search, not the others of the request.
        JsonNode refused = ElasticsearchHarness.json("{\"regexp\":{\"@timestamp\":\"1.*\"}}");
        String missing = es.uniqueIndexName("no-such-index");

        long[] counts = reader.countsUpTo(
                List.of(
                        ReadRequest.of(List.of(name), three, T0, T0.plusSeconds(60)),
                        ReadRequest.of(List.of(name), null, T0, T0.plusSeconds(60)),
                        ReadRequest.of(List.of(name), nobody, T0, T0.plusSeconds(60)),
                        ReadRequest.of(List.of(missing, missing + "-*"), null, T0, T0.plusSeconds(60)),
                        ReadRequest.of(List.of(name), refused, T0, T0.plusSeconds(60)),
                        ReadRequest.of(List.of(name), three, T0, T0.plusSeconds(5))),
                10);

        assertEquals("[4, 10, 0, 0, -1, 2]", java.util.Arrays.toString(counts));
        assertEquals(4, reader.count(ReadRequest.of(List.of(name), three, T0, T0.plusSeconds(60))));
    }

    @Test
    void findsTheTimeExtentOfManyReadsInOneRoundTripAndTellsNoneWhenAnEventHasNoSortableTime() {
        String name = index("logs-endpoint.events.network", DefendDataset.NETWORK);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            docs.add(event(T0.plusSeconds(i).plusMillis(7), i % 3 == 0 ? "three" : "other", i));
        }
        // Arrived (event.ingested) in the window, but without @timestamp: a sort cannot place it.
        docs.add(Map.of(
                "host",
                Map.of("id", "untimed"),
                "event",
                Map.of("sequence", 99, "ingested", T0.plusSeconds(5).toString())));
        es.bulkIndex(name, docs);
        JsonNode three = ElasticsearchHarness.json("{\"term\":{\"host.id\":\"three\"}}");
        JsonNode nobody = ElasticsearchHarness.json("{\"term\":{\"host.id\":\"nobody\"}}");
        JsonNode untimedOrThree = ElasticsearchHarness.json("{\"terms\":{\"host.id\":[\"three\",\"untimed\"]}}");
        String missing = es.uniqueIndexName("no-such-index");

        List<TimestampExtent> extents = reader.extents(List.of(
                ReadRequest.of(List.of(name), three, T0, T0.plusSeconds(60)),
                ReadRequest.of(List.of(name), nobody, T0, T0.plusSeconds(60)),
                ReadRequest.of(List.of(missing), null, T0, T0.plusSeconds(60)),
                ReadRequest.of(List.of(name), untimedOrThree, T0, T0.plusSeconds(60))
                        .withRangeField("event.ingested")));

        assertEquals(new TimestampExtent(T0.plusMillis(7), T0.plusSeconds(9).plusMillis(7)), extents.get(0));
        assertEquals(TimestampExtent.NONE, extents.get(1));
        assertEquals(TimestampExtent.NONE, extents.get(2));
        assertEquals(null, extents.get(3), "an event whose time only its source could tell");
    }

    @Test
    void documentsWithoutAUsableTimestampAreSkippedAndCounted() {
        // The window selects on event.ingested (a rule's timestamp_override); @timestamp orders. ignore_malformed
        // lets a bad @timestamp in, as a lenient real-world mapping would.
        String name = es.uniqueIndexName("eqlwatch-malformed");
        es.createIndex(
                name,
                ElasticsearchHarness.json(
                        """
                {"properties": {"@timestamp": {"type": "date", "ignore_malformed": true},
                                "event": {"properties": {"ingested": {"type": "date"}}},
                                "n": {"type": "long"}}}"""));
        created.add(name);
        String ingested = T0.plusSeconds(30).toString();
        es.bulkIndex(
                name,
                List.of(
                        Map.of(
                                "@timestamp",
                                T0.plusSeconds(2).toString(),
                                "event",
                                Map.of("ingested", ingested),
                                "n",
                                2),
                        Map.of("@timestamp", "yesterday at noon", "event", Map.of("ingested", ingested), "n", 99),
                        Map.of("event", Map.of("ingested", ingested), "n", 98),
                        Map.of(
                                "@timestamp",
                                T0.plusSeconds(1).toEpochMilli(),
                                "event",
                                Map.of("ingested", ingested),
                                "n",
                                1)));

        EventStream stream = reader.read(
                ReadRequest.of(List.of(name), null, T0, T0.plusSeconds(60)).withRangeField("event.ingested"));
        List<Event> events = readAll(stream);

        assertEquals(
                List.of(1, 2),
                events.stream().map(e -> ((Number) e.first("n")).intValue()).toList());
        assertEquals(
                List.of(T0.plusSeconds(1), T0.plusSeconds(2)),
                events.stream().map(Event::timestamp).toList());
        assertEquals(2, stream.skipped());
    }

    @Test
    void pagesOfHeavyDocumentsAskForFewerHitsAndLoseNone() {
        String name = index("logs-endpoint.events.network", DefendDataset.NETWORK);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Map<String, Object> doc = event(T0.plusMillis(i), "h" + i, i);
            doc.put("message", ("event " + i + " ").repeat(1_000));
            docs.add(doc);
        }
        for (int from = 0; from < docs.size(); from += 100) {
            es.bulkIndex(name, docs.subList(from, from + 100));
        }
        ReadRequest request =
                ReadRequest.of(List.of(name), null, T0, T0.plusSeconds(60)).withPageSize(250);

        EventStream unbounded = reader.read(request);
        List<Event> whole = readAll(unbounded);
        // About 10 KB a hit: a budget of 1.2 MB holds about 120 of them.
        EventStream budgeted = new EventReader(
                        es.client(), es.url(), RetryPolicy.DEFAULT, SourceFetch.FILTERED, 1_200_000)
                .read(request);
        List<Event> bounded = readAll(budgeted);

        assertEquals(600, whole.size());
        assertEquals(
                whole.stream().map(Event::id).toList(),
                bounded.stream().map(Event::id).toList(),
                "the same events in the same order");
        assertEquals(3, unbounded.pages(), "250 + 250 + 100");
        assertEquals(4, budgeted.pages(), "250 (2.5 MB), then pages of about 120 for the 350 left");
    }

    /** Whether the cluster filters {@code _source} or sends it whole, the events carry the fields asked for. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(SourceFetch.class)
    void readsOnlyTheSourceFieldsAskedForAndFetchesTheWholeSourceBackByIndexAndId(SourceFetch fetch) {
        EventReader reader = new EventReader(es.client(), es.url(), fetch);
        String name = index("logs-endpoint.events.network", DefendDataset.NETWORK);
        Map<String, Object> nested = event(T0.plusSeconds(1), "h1", 1);
        nested.put("process", Map.of("name", "System", "pid", 4, "args", List.of("a", "b")));
        nested.put("user", Map.of("name", "admin"));
        Map<String, Object> dotted = new LinkedHashMap<>();
        dotted.put("@timestamp", T0.plusSeconds(2).toString());
        dotted.put("process.name", "smss.exe");
        dotted.put("process", Map.of("pid", 400));
        dotted.put("user.name", "guest");
        es.bulkIndex(name, List.of(nested, dotted));

        List<Event> slim = readAll(reader.read(ReadRequest.of(List.of(name), null, T0, T0.plusSeconds(60))
                .withSourceFields(List.of("process.name", "process.pid"))));

        assertEquals(
                List.of(List.of("System"), List.of("smss.exe")),
                slim.stream().map(e -> e.values("process.name")).toList());
        assertEquals(
                List.of(List.of(4), List.of(400)),
                slim.stream().map(e -> e.values("process.pid")).toList());
        assertEquals(
                List.of(List.of(), List.of()),
                slim.stream().map(e -> e.values("user.name")).toList(),
                "not fetched");
        assertEquals(
                List.of(List.of(), List.of()),
                slim.stream().map(e -> e.values("process.args")).toList(),
                "not fetched");
        assertEquals(
                List.of(T0.plusSeconds(1), T0.plusSeconds(2)),
                slim.stream().map(Event::timestamp).toList());

        List<Event> whole = new FullSources(es.client(), es.url(), RetryPolicy.NONE).of(slim);

        assertEquals(
                List.of(List.of("admin"), List.of("guest")),
                whole.stream().map(e -> e.values("user.name")).toList());
        assertEquals(List.of("a", "b"), whole.get(0).values("process.args"));
        assertEquals(
                slim.stream().map(Event::id).toList(),
                whole.stream().map(Event::id).toList());
        assertEquals(
                slim.stream().map(Event::timestamp).toList(),
                whole.stream().map(Event::timestamp).toList());
        assertEquals(
                readAll(reader.read(ReadRequest.of(List.of(name), null, T0, T0.plusSeconds(60)))).stream()
                        .map(Event::source)
                        .toList(),
                whole.stream().map(Event::source).toList(),
                "the same as a full read");
    }

    @Test
    void aDocumentNestedAThousandLevelsDeepIsSkippedAndTheOthersOfItsPageAreRead() {
        String name = es.uniqueIndexName("eqlwatch-deep");
        es.createIndex(
                name,
                ElasticsearchHarness.json(
                        """
                {"dynamic": false, "properties": {"@timestamp": {"type": "date"}, "n": {"type": "long"}}}"""));
        created.add(name);
        Map<String, Object> deep = new LinkedHashMap<>();
        Map<String, Object> level = deep;
        for (int i = 2; i < 1_000; i++) {
            Map<String, Object> next = new LinkedHashMap<>();
            level.put("d", next);
            level = next;
        }
        es.bulkIndex(
                name,
                List.of(
                        Map.of("@timestamp", T0.plusSeconds(1).toString(), "n", 1),
                        Map.of("@timestamp", T0.plusSeconds(2).toString(), "n", 2, "deep", deep),
                        Map.of("@timestamp", T0.plusSeconds(3).toString(), "n", 3)));

        EventStream stream = reader.read(ReadRequest.of(List.of(name), null, T0, T0.plusSeconds(60)));
        List<Event> events = readAll(stream);

        assertEquals(
                List.of(1, 3),
                events.stream().map(e -> ((Number) e.first("n")).intValue()).toList());
        assertEquals(1, stream.skipped());
        assertTrue(
                stream.skippedEvents().get(0).reason().contains("deeper than"),
                stream.skippedEvents().toString());
        assertEquals(name, stream.skippedEvents().get(0).index());
    }

    @Test
    void keepsNanosecondPrecisionOfDateNanosTimestamps() {
        String name = es.uniqueIndexName("eqlwatch-nanos");
        es.createIndex(
                name, ElasticsearchHarness.json("{\"properties\": {\"@timestamp\": {\"type\": \"date_nanos\"}}}"));
        created.add(name);
        es.bulkIndex(
                name,
                List.of(
                        Map.of("@timestamp", "2024-05-01T10:00:00.123456789Z"),
                        Map.of("@timestamp", "2024-05-01T10:00:00.123456788Z")));

        List<Event> events = readAll(reader.read(ReadRequest.of(List.of(name), null, T0, T0.plusSeconds(1))));

        assertEquals(
                List.of(
                        Instant.parse("2024-05-01T10:00:00.123456788Z"),
                        Instant.parse("2024-05-01T10:00:00.123456789Z")),
                events.stream().map(Event::timestamp).toList());
    }

    @Test
    void anUnreachableClusterFailsAfterRetriesNamingClusterAndIndices() throws IOException {
        String deadUrl = "http://127.0.0.1:" + freePort();
        try (ElasticsearchClient dead = ElasticsearchClients.create(
                ElasticsearchConnection.of(deadUrl).withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2)))) {
            EventReader deadReader =
                    new EventReader(dead, deadUrl, new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20)));
            EventStream stream = deadReader.read(ReadRequest.of(List.of("logs-endpoint.events.file-*"), null, T0, T0));

            ElasticsearchCallException e = assertThrows(ElasticsearchCallException.class, stream::hasNext);

            assertTrue(e.getMessage().contains(deadUrl), e.getMessage());
            assertTrue(e.getMessage().contains("logs-endpoint.events.file-*"), e.getMessage());
            assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Open search contexts on the node, which is what a point in time holds per shard. */
    private static long openPointsInTime() throws IOException {
        RestClient rest = ((RestClientTransport) es.client()._transport()).restClient();
        var response = rest.performRequest(new Request("GET", "/_nodes/stats/indices/search"));
        JsonNode nodes =
                new ObjectMapper().readTree(response.getEntity().getContent()).path("nodes");
        long open = 0;
        for (JsonNode node : (Iterable<JsonNode>) nodes::elements) {
            open += node.path("indices").path("search").path("open_contexts").asLong();
        }
        return open;
    }
}
