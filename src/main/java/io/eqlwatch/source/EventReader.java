package io.eqlwatch.source;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.event.Event;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Reads the events of a window from Elasticsearch, in order, a page at a time: a point in time keeps the view
 * stable while {@code search_after} pages through it, so memory holds one page, not the window. Transient
 * failures are retried per {@link RetryPolicy}; then an {@link io.eqlwatch.es.ElasticsearchCallException}
 * names the cluster, the indices and the cause.
 *
 * <pre>{@code
 * try (EventStream events = reader.read(ReadRequest.of(List.of("logs-endpoint.events.*"), filter, from, to))) {
 *     events.forEachRemaining(engine::accept);
 *     log.info("{} events, {} skipped", events.eventsRead(), events.skipped());
 * }
 * }</pre>
 */
public final class EventReader implements EventSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Searches per {@code _msearch} of {@link #countsUpTo}: a body of a few hundred kilobytes at most. */
    private static final int COUNTS_PER_MSEARCH = 100;

    private final ElasticsearchClient client;
    private final String cluster;
    private final RetryPolicy retry;
    private final FullSources fullSources;
    private final SourceFetch sourceFetch;
    private final long maxPageBytes;

    /**
     * @param client       the client
     * @param cluster      how errors name the cluster, e.g. its URL
     * @param retry        how transient failures are retried
     * @param sourceFetch  what pages ask of {@code _source} when a request names its fields
     * @param maxPageBytes the most a page's response should weigh: pages of heavier documents ask for fewer hits
     *                     ({@link PageBudget} refuses one that is not positive, at the first read)
     */
    public EventReader(
            ElasticsearchClient client, String cluster, RetryPolicy retry, SourceFetch sourceFetch, long maxPageBytes) {
        this.client = Objects.requireNonNull(client, "client");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.sourceFetch = Objects.requireNonNull(sourceFetch, "sourceFetch");
        this.maxPageBytes = maxPageBytes;
        this.fullSources = new FullSources(client, cluster, retry);
    }

    public EventReader(ElasticsearchClient client, String cluster, RetryPolicy retry, SourceFetch sourceFetch) {
        this(client, cluster, retry, sourceFetch, PageBudget.DEFAULT_MAX_BYTES);
    }

    public EventReader(ElasticsearchClient client, String cluster, RetryPolicy retry) {
        this(client, cluster, retry, SourceFetch.FILTERED);
    }

    public EventReader(ElasticsearchClient client, String cluster) {
        this(client, cluster, RetryPolicy.DEFAULT);
    }

    public EventReader(ElasticsearchClient client, String cluster, SourceFetch sourceFetch) {
        this(client, cluster, RetryPolicy.DEFAULT, sourceFetch);
    }

    /**
     * Starts reading. Nothing is fetched until the first {@code hasNext()}; close the stream (or read it to the
     * end) to release the point in time.
     */
    @Override
    public EventStream read(ReadRequest request) {
        return new EventStream(
                client, cluster, retry, request, sourceFetch, new PageBudget(request.pageSize(), maxPageBytes));
    }

    /**
     * Counted by Elasticsearch ({@code _count} with the request's query and window); indices that do not exist
     * count nothing.
     */
    @Override
    public long count(ReadRequest request) {
        RestClient rest = ((RestClientTransport) client._transport()).restClient();
        String indices = String.join(
                ",",
                request.indices().stream()
                        .map(i -> URLEncoder.encode(i, StandardCharsets.UTF_8))
                        .toList());
        String what = "Counting events of " + request.indices() + " in " + cluster;
        String body = "{\"query\":" + EventStream.buildQuery(request) + "}";
        return retry.run(what, () -> {
            Request count = new Request("POST", "/" + indices + "/_count");
            count.addParameter("ignore_unavailable", "true");
            count.addParameter("allow_no_indices", "true");
            count.setJsonEntity(body);
            return LowLevelCall.send(
                    rest, count, what, in -> JSON.readTree(in).path("count").asLong());
        });
    }

    /**
     * One {@code _msearch} of hit-less searches per {@value #COUNTS_PER_MSEARCH} requests, each tracking its total
     * only up to {@code upTo}, so that the cluster stops counting a common filter early; an item the cluster
     * refuses (say, too many clauses) is {@code -1}, and the others still count.
     */
    @Override
    public long[] countsUpTo(List<ReadRequest> requests, long upTo) {
        RestClient rest = ((RestClientTransport) client._transport()).restClient();
        long[] counts = new long[requests.size()];
        for (int from = 0; from < counts.length; from += COUNTS_PER_MSEARCH) {
            int to = Math.min(counts.length, from + COUNTS_PER_MSEARCH);
            StringBuilder body = new StringBuilder();
            for (ReadRequest request : requests.subList(from, to)) {
                body.append(msearchHeader(request)).append('\n');
                body.append("{\"size\":0,\"track_total_hits\":")
                        .append(upTo)
                        .append(",\"query\":")
                        .append(EventStream.buildQuery(request))
                        .append("}\n");
            }
            String what = "Counting the events of " + (to - from) + " reads in " + cluster;
            int first = from;
            retry.run(what, () -> {
                Request search = new Request("POST", "/_msearch");
                search.setJsonEntity(body.toString());
                return LowLevelCall.send(rest, search, what, in -> {
                    JsonNode responses = JSON.readTree(in).path("responses");
                    for (int i = 0; i < to - first; i++) {
                        counts[first + i] = countOf(responses.path(i), upTo);
                    }
                    return null;
                });
            });
        }
        return counts;
    }

    /**
     * Three hit-less-but-one searches per request in one {@code _msearch} (of {@value #COUNTS_PER_MSEARCH} items
     * at most): the first and the last event by timestamp, and whether any event lacks a sortable timestamp (its
     * time would then come from its source, which a sort cannot see, so the extent is not told).
     */
    @Override
    public List<TimestampExtent> extents(List<ReadRequest> requests) {
        RestClient rest = ((RestClientTransport) client._transport()).restClient();
        List<TimestampExtent> extents = new ArrayList<>();
        int perCall = COUNTS_PER_MSEARCH / 3;
        for (int from = 0; from < requests.size(); from += perCall) {
            List<ReadRequest> part = requests.subList(from, Math.min(requests.size(), from + perCall));
            StringBuilder body = new StringBuilder();
            for (ReadRequest request : part) {
                String header = msearchHeader(request);
                ObjectNode query = EventStream.buildQuery(request);
                for (String order : List.of("asc", "desc")) {
                    ObjectNode search = JSON.createObjectNode();
                    search.put("size", 1).put("_source", false).put("track_total_hits", false);
                    search.set("query", query);
                    search.putArray("sort")
                            .addObject()
                            .putObject(request.timestampField())
                            .put("order", order)
                            .put("format", EventStream.SORT_FORMAT)
                            .put("unmapped_type", "date");
                    body.append(header).append('\n').append(search).append('\n');
                }
                ObjectNode untimed = JSON.createObjectNode();
                untimed.put("size", 0).put("track_total_hits", 1);
                ObjectNode bool = untimed.putObject("query").putObject("bool");
                bool.putArray("filter").add(query);
                bool.putArray("must_not").addObject().putObject("exists").put("field", request.timestampField());
                body.append(header).append('\n').append(untimed).append('\n');
            }
            String what = "Finding the time extent of " + part.size() + " reads in " + cluster;
            extents.addAll(retry.run(what, () -> {
                Request search = new Request("POST", "/_msearch");
                search.setJsonEntity(body.toString());
                return LowLevelCall.send(rest, search, what, in -> {
                    JsonNode responses = JSON.readTree(in).path("responses");
                    List<TimestampExtent> out = new ArrayList<>();
                    for (int i = 0; i < part.size(); i++) {
                        out.add(extentOf(responses.path(3 * i), responses.path(3 * i + 1), responses.path(3 * i + 2)));
                    }
                    return out;
                });
            }));
        }
        return extents;
    }

    private static String msearchHeader(ReadRequest request) {
        ObjectNode header = JSON.createObjectNode();
        ArrayNode indices = header.putArray("index");
        request.indices().forEach(indices::add);
        header.put("ignore_unavailable", true).put("allow_no_indices", true);
        return header.toString();
    }

    private static TimestampExtent extentOf(JsonNode first, JsonNode last, JsonNode untimed) {
        if (countOf(untimed, 1) != 0 || !answered(first) || !answered(last)) {
            return null;
        }
        JsonNode firstHits = first.path("hits").path("hits");
        JsonNode lastHits = last.path("hits").path("hits");
        if (firstHits.isEmpty() && lastHits.isEmpty()) {
            return TimestampExtent.NONE;
        }
        Optional<Instant> earliest =
                EventStream.fromSortValue(firstHits.path(0).path("sort").path(0).asText(null));
        Optional<Instant> latest =
                EventStream.fromSortValue(lastHits.path(0).path("sort").path(0).asText(null));
        if (earliest.isEmpty() || latest.isEmpty() || latest.get().isBefore(earliest.get())) {
            return null;
        }
        return new TimestampExtent(earliest.get(), latest.get());
    }

    private static boolean answered(JsonNode response) {
        return response.path("hits").path("hits").isArray()
                && !response.path("timed_out").asBoolean(false)
                && response.path("_shards").path("failed").asLong(0) == 0;
    }

    /**
     * A search's total, or {@code -1} unless every shard answered in time: a count that missed a shard is too
     * low, and a caller may skip a read on a count of zero.
     */
    private static long countOf(JsonNode response, long upTo) {
        JsonNode total = response.path("hits").path("total");
        if (total.isMissingNode()
                || response.path("timed_out").asBoolean(false)
                || response.path("_shards").path("failed").asLong(0) > 0) {
            return -1;
        }
        return Math.min(
                upTo, total.isNumber() ? total.asLong() : total.path("value").asLong());
    }

    /** Fetched again by index and id ({@link FullSources}); only the events that become alerts need it. */
    @Override
    public List<Event> withFullSources(List<Event> events) {
        return events.isEmpty() ? events : fullSources.of(events);
    }
}
