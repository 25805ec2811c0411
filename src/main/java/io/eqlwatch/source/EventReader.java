package io.eqlwatch.source;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.eqlwatch.es.RetryPolicy;
import java.util.Objects;

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

    private final ElasticsearchClient client;
    private final String cluster;
    private final RetryPolicy retry;

    /**
     * @param client  the client
     * @param cluster how errors name the cluster, e.g. its URL
     * @param retry   how transient failures are retried
     */
    public EventReader(ElasticsearchClient client, String cluster, RetryPolicy retry) {
        this.client = Objects.requireNonNull(client, "client");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    public EventReader(ElasticsearchClient client, String cluster) {
        this(client, cluster, RetryPolicy.DEFAULT);
    }

    /**
     * Starts reading. Nothing is fetched until the first {@code hasNext()}; close the stream (or read it to the
     * end) to release the point in time.
     */
    @Override
    public EventStream read(ReadRequest request) {
        return new EventStream(client, cluster, retry, request);
    }
}
