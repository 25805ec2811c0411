package io.eqlwatch.source;

import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import io.eqlwatch.eql.dsl.ReadFilter;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.TimestampParser;

/**
 * The events of one {@link ReadRequest}, fetched page by page as they are consumed. Events whose timestamp
 * is missing or unparseable are logged (index and id) and skipped, and counted in {@link #skipped()}.
 * Closing releases the point in time; it is also released as soon as the last page has been read.
 */
public final class EventStream implements EventCursor {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    /** Sort values are formatted with this, so date_nanos keep their precision. */
    private static final String SORT_FORMAT = "strict_date_optional_time_nanos";
    /**
     * Window bounds are sent with all nine fraction digits: Elasticsearch rounds a bound with missing
     * components up for {@code lte} (10:00:10Z would mean 10:00:10.999), which would widen the window.
     */
    private static final DateTimeFormatter FULL_PRECISION = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z').toFormatter().withZone(ZoneOffset.UTC);
    /** A sort value this late is Elasticsearch's stand-in for "no value" (Long.MAX_VALUE millis). */
    private static final Instant NO_VALUE = Instant.parse("+10000-01-01T00:00:00Z");

    private final ElasticsearchClient client;
    private final RetryPolicy retry;
    private final ReadRequest request;
    private final String description;
    private final Query query;
    private final List<SortOptions> sort;
    private final Deque<Event> buffer = new ArrayDeque<>();

    private String pitId;
    private boolean started;
    private boolean exhausted;
    private boolean closed;
    private List<FieldValue> searchAfter;
    private long eventsRead;
    private long skipped;
    private long pages;

    EventStream(ElasticsearchClient client, String cluster, RetryPolicy retry, ReadRequest request) {
        this.client = client;
        this.retry = retry;
        this.request = request;
        this.description = "Reading events of " + request.indices() + " from " + cluster + " (" + request.rangeField()
                + " in [" + request.from() + ", " + request.to() + "])";
        this.query = buildQuery(request);
        this.sort = buildSort(request);
    }

    @Override
    public boolean hasNext() {
        while (buffer.isEmpty() && !exhausted) {
            if (closed) {
                throw new IllegalStateException("Event stream is closed");
            }
            fetchPage();
        }
        return !buffer.isEmpty();
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        eventsRead++;
        return buffer.removeFirst();
    }

    /** The remaining events as a sequential, ordered {@link Stream}; closing it closes this. */
    public Stream<Event> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    /** Events handed out so far. */
    @Override
    public long eventsRead() {
        return eventsRead;
    }

    /** Documents skipped so far for a missing or unparseable timestamp. */
    @Override
    public long skipped() {
        return skipped;
    }

    /** Search requests made so far. */
    public long pages() {
        return pages;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        exhausted = true;
        buffer.clear();
        closePit();
    }

    private void fetchPage() {
        if (!started) {
            started = true;
            pitId = openPit();
            if (pitId == null) {
                exhausted = true;
                return;
            }
        }
        String pit = pitId;
        List<FieldValue> after = searchAfter;
        @SuppressWarnings({"rawtypes", "unchecked"})
        SearchResponse<Map<String, Object>> response = (SearchResponse) retry.run(description, () -> client.search(s -> {
            s.pit(p -> p.id(pit).keepAlive(t -> t.time(keepAlive())))
                    .size(request.pageSize())
                    .query(query)
                    .sort(sort)
                    .trackTotalHits(t -> t.enabled(false))
                    .allowPartialSearchResults(false);
            if (after != null) {
                s.searchAfter(after);
            }
            return s;
        }, Map.class));
        pages++;
        if (response.shards() != null && response.shards().failed().intValue() > 0) {
            throw new ElasticsearchCallException(description + " failed on " + response.shards().failed()
                    + " shard(s): " + response.shards().failures(), null);
        }
        if (response.pitId() != null) {
            pitId = response.pitId();
        }
        List<Hit<Map<String, Object>>> hits = response.hits().hits();
        for (Hit<Map<String, Object>> hit : hits) {
            searchAfter = hit.sort();
            toEvent(hit).ifPresent(buffer::addLast);
        }
        if (hits.size() < request.pageSize()) {
            exhausted = true;
            closePit();
        }
    }

    private Optional<Event> toEvent(Hit<Map<String, Object>> hit) {
        Map<String, Object> source = hit.source() == null ? Map.of() : hit.source();
        // Only a lookup helper: Event resolves nested objects and dotted keys alike.
        Event probe = new Event(hit.id(), hit.index(), Instant.EPOCH, null, source);
        List<FieldValue> sortValues = hit.sort();
        Optional<Instant> timestamp = sortValues.isEmpty() ? Optional.empty() : fromSortValue(sortValues.get(0));
        if (timestamp.isEmpty()) {
            Object raw = probe.first(request.timestampField());
            timestamp = TimestampParser.parse(raw);
            if (timestamp.isEmpty()) {
                skipped++;
                log.warn("Skipping event {}/{}: {} {}", hit.index(), hit.id(), request.timestampField(),
                        raw == null ? "is missing" : "is not a timestamp: '" + raw + "'");
                return Optional.empty();
            }
        }
        Comparable<?> tiebreaker = null;
        if (request.tiebreakerField() != null && !probe.values(request.tiebreakerField()).isEmpty() && sortValues.size() > 1) {
            tiebreaker = comparable(sortValues.get(1));
        }
        return Optional.of(new Event(hit.id(), hit.index(), timestamp.get(), tiebreaker, source));
    }

    private static Optional<Instant> fromSortValue(FieldValue value) {
        Object raw = value.isString() ? value.stringValue() : value.isLong() ? (Object) value.longValue()
                : value.isDouble() ? (Object) value.doubleValue() : null;
        return TimestampParser.parse(raw).filter(t -> t.isBefore(NO_VALUE));
    }

    private static Comparable<?> comparable(FieldValue value) {
        if (value.isLong()) {
            return value.longValue();
        }
        if (value.isDouble()) {
            return value.doubleValue();
        }
        if (value.isString()) {
            return value.stringValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return null;
    }

    private String openPit() {
        try {
            return retry.run(description + ": opening a point in time", () -> client.openPointInTime(p -> p
                    .index(request.indices())
                    .keepAlive(t -> t.time(keepAlive()))
                    .ignoreUnavailable(true))).id();
        } catch (ElasticsearchCallException e) {
            // A pattern that matches no index means no events, not an error (allow_no_indices).
            if (e.getCause() instanceof ElasticsearchException ese && "index_not_found_exception".equals(ese.error().type())) {
                log.debug("{}: no such index, nothing to read", description);
                return null;
            }
            throw e;
        }
    }

    private void closePit() {
        if (pitId == null) {
            return;
        }
        String pit = pitId;
        pitId = null;
        try {
            client.closePointInTime(c -> c.id(pit));
        } catch (Exception e) {
            // It expires by itself after keep-alive; not worth failing a finished read for.
            log.debug("Could not close point in time: {}", e.toString());
        }
    }

    private String keepAlive() {
        return request.keepAlive().toSeconds() + "s";
    }

    private static Query buildQuery(ReadRequest request) {
        String json = ReadFilter.inWindow(request.filter(), request.rangeField(), FULL_PRECISION.format(request.from()),
                FULL_PRECISION.format(request.to()), SORT_FORMAT).toString();
        return Query.of(q -> q.withJson(new StringReader(json)));
    }

    private static List<SortOptions> buildSort(ReadRequest request) {
        SortOptions timestamp = SortOptions.of(o -> o.field(f -> f.field(request.timestampField()).order(SortOrder.Asc)
                .format(SORT_FORMAT).unmappedType(FieldType.Date)));
        SortOptions shardDoc = SortOptions.of(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)));
        if (request.tiebreakerField() == null) {
            return List.of(timestamp, shardDoc);
        }
        SortOptions tiebreaker = SortOptions.of(o -> o.field(f -> f.field(request.tiebreakerField()).order(SortOrder.Asc)
                .unmappedType(FieldType.Long)));
        return List.of(timestamp, tiebreaker, shardDoc);
    }
}
