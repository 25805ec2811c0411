package io.eqlwatch.source;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.dsl.ReadFilter;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.SlotLayout;
import io.eqlwatch.event.TimestampParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of one {@link ReadRequest}, fetched page by page as they are consumed. A document that cannot be
 * used (its timestamp missing or unparseable, its source nested too deep to decode) is logged (index and id),
 * skipped and counted in {@link #skipped()}; it never fails the read. While one page is consumed the next is
 * decoded and the one after it already asked for, so that the cluster's work, decoding and matching overlap; no
 * more than two decoded pages and one raw response are ever held.
 * Closing releases the point in time; it is also released, in the background, as soon as the last page has been
 * read.
 */
public final class EventStream implements EventCursor {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sort values are formatted with this, so date_nanos keep their precision. */
    static final String SORT_FORMAT = "strict_date_optional_time_nanos";
    /**
     * Window bounds are sent with all nine fraction digits: Elasticsearch rounds a bound with missing
     * components up for {@code lte} (10:00:10Z would mean 10:00:10.999), which would widen the window.
     */
    private static final DateTimeFormatter FULL_PRECISION = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);
    /** Fetches the page ahead; daemon threads, so an abandoned read never keeps the JVM alive. */
    private static final ExecutorService PREFETCH = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "eqlwatch-read-ahead");
        thread.setDaemon(true);
        return thread;
    });
    /** Skipped documents remembered by identity; beyond this only counted, so memory stays bounded. */
    static final int MAX_SKIPPED_KEPT = 1_000;
    /** A sort value this late is Elasticsearch's stand-in for "no value" (Long.MAX_VALUE millis). */
    private static final Instant NO_VALUE = Instant.parse("+10000-01-01T00:00:00Z");

    private final ElasticsearchClient client;
    private final RetryPolicy retry;
    private final ReadRequest request;
    private final String description;
    private final RestClient rest;
    private final ObjectNode query;
    private final ArrayNode sort;
    /** The slots hits are decoded into when only some source fields are read; null for whole sources. */
    private final SlotLayout layout;
    /** How many hits each page asks for, so that a page of heavy documents stays within its bytes. */
    private final PageBudget budget;

    private final Deque<Event> buffer = new ArrayDeque<>();
    private final List<SkippedEvent> skippedEvents = new ArrayList<>();

    private String pitId;
    /** The next page, being fetched while the current one is consumed; null when none is. */
    private CompletableFuture<Decoded> ahead;

    private boolean started;
    private boolean exhausted;
    /** Read by the read-ahead thread too: once closed, it asks for no further page. */
    private volatile boolean closed;

    private final SourceFetch sourceFetch;
    private List<Object> searchAfter;
    private long eventsRead;
    private long skipped;
    private long pages;

    EventStream(
            ElasticsearchClient client,
            String cluster,
            RetryPolicy retry,
            ReadRequest request,
            SourceFetch sourceFetch,
            PageBudget budget) {
        this.client = client;
        this.budget = budget;
        this.sourceFetch = sourceFetch;
        this.rest = ((RestClientTransport) client._transport()).restClient();
        this.retry = retry;
        this.request = request;
        this.description = "Reading events of " + request.indices() + " from " + cluster + " (" + request.rangeField()
                + " in [" + request.from() + ", " + request.to() + "])";
        this.query = buildQuery(request);
        this.sort = buildSort(request);
        this.layout = request.sourceFields() == null ? null : SlotLayout.of(request.sourceFields());
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
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    /** Events handed out so far. */
    @Override
    public long eventsRead() {
        return eventsRead;
    }

    /** Documents skipped so far: a missing or unparseable timestamp, or a source too deeply nested to use. */
    @Override
    public long skipped() {
        return skipped;
    }

    /**
     * The documents skipped so far, in the order read; only the first {@value #MAX_SKIPPED_KEPT} are kept,
     * {@link #skipped()} counts them all.
     */
    public List<SkippedEvent> skippedEvents() {
        return List.copyOf(skippedEvents);
    }

    /** Pages taken so far; a request sent ahead for a page after the last, which answers no hit, is not one. */
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
        if (ahead != null) {
            // Let the searches in flight finish first: the point in time is closed under no request.
            try {
                settle(ahead.join().next());
            } catch (RuntimeException ignored) {
                // nobody wants that page any more
            }
            ahead = null;
        }
        closePit();
    }

    /**
     * Takes the next page (the one fetched ahead, else fetched now) and, unless it is the last, has the one after it
     * decoded while this one is consumed. That one's request was usually sent before this page was even decoded
     * ({@link #decodeAhead}): the cluster answers the next page while we decode this one.
     */
    private void fetchPage() {
        if (!started) {
            started = true;
            pitId = openPit();
            if (pitId == null) {
                exhausted = true;
                return;
            }
        }
        Decoded decoded = ahead != null ? await(ahead) : decodeAhead(fetch(pitId, searchAfter, budget.first()));
        ahead = null;
        SearchPage page = decoded.page();
        pages++;
        if (page.pitId() != null) {
            pitId = page.pitId();
        }
        if (!page.hits().isEmpty()) {
            searchAfter = page.hits().get(page.hits().size() - 1).sort();
        }
        boolean last = page.failedShards() > 0 || page.hits().size() < decoded.requested();
        if (last) {
            settle(decoded.next());
        } else if (decoded.next() != null) {
            ahead = decoded.next().thenApplyAsync(this::decodeAhead, PREFETCH);
        } else {
            String pit = pitId;
            List<Object> after = searchAfter;
            int size = decoded.nextSize();
            ahead = CompletableFuture.supplyAsync(() -> decodeAhead(fetch(pit, after, size)), PREFETCH);
        }
        if (page.failedShards() > 0) {
            exhausted = true;
            closePit();
            throw new ElasticsearchCallException(
                    description + " failed on " + page.failedShards() + " shard(s): " + page.shardFailures(), null);
        }
        for (SearchPage.Hit hit : page.hits()) {
            toEvent(hit).ifPresent(buffer::addLast);
        }
        if (last) {
            exhausted = true;
            releasePitInBackground();
        }
    }

    /**
     * Closes the point in time without waiting for the cluster's answer: the last page's events are handed out at
     * once instead of a round trip later. Should the close not arrive (the process ends first), the point in time
     * expires by itself after its keep-alive.
     */
    private void releasePitInBackground() {
        String pit = takePit();
        if (pit != null) {
            PREFETCH.execute(() -> closePit(pit));
        }
    }

    /** A response as received, and the request it answers (to ask again should its body not decode). */
    private record Response(String pit, List<Object> after, int size, byte[] body) {}

    /**
     * A decoded page, the hits it asked for (fewer came back: it is the last), the size of the page after it, and
     * the request for that page when one was sent ahead (else null).
     */
    private record Decoded(SearchPage page, int requested, int nextSize, CompletableFuture<Response> next) {}

    /**
     * Sends the request for the page after {@code response} as soon as its last sort values can be read from the raw
     * response, then decodes it: the two overlap. The request after a short, last page is sent too and answers no
     * hit; that costs one empty search, against waiting for every page's decoding before asking for the next.
     */
    private Decoded decodeAhead(Response response) {
        CompletableFuture<Response> next = null;
        int nextSize = budget.after(response.size(), response.body().length);
        Optional<SearchPage.Tail> tail = closed ? Optional.empty() : SearchPage.tail(response.body());
        if (tail.isPresent()) {
            String pit = tail.get().pitId() != null ? tail.get().pitId() : response.pit();
            List<Object> after = tail.get().lastSort();
            next = CompletableFuture.supplyAsync(() -> fetch(pit, after, nextSize), PREFETCH);
        }
        try {
            return new Decoded(parse(response.body()), response.size(), nextSize, next);
        } catch (IOException e) {
            // Received whole, yet not decodable: ask again, as a failed request would be, and nothing ahead.
            settle(next);
            SearchPage again = retry.run(
                    description, () -> parse(send(searchBody(response.pit(), response.after(), response.size()))));
            return new Decoded(again, response.size(), nextSize, null);
        }
    }

    private SearchPage parse(byte[] body) throws IOException {
        return SearchPage.parse(new ByteArrayInputStream(body), layout);
    }

    private Response fetch(String pit, List<Object> after, int size) {
        String body = searchBody(pit, after, size);
        return new Response(pit, after, size, retry.run(description, () -> send(body)));
    }

    /** Waits for a request sent ahead that nobody will use, so the point in time is closed under no request. */
    private static void settle(CompletableFuture<?> unused) {
        if (unused != null) {
            try {
                unused.join();
            } catch (RuntimeException ignored) {
                // nobody wants that page
            }
        }
    }

    private static <T> T await(CompletableFuture<T> page) {
        try {
            return page.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * One search request through the low-level client, its response body received whole, to be decoded hit by hit
     * ({@link SearchPage}): the typed client decodes a whole page at once, so one unreadable document would fail the
     * page. A refusal that retrying cannot cure fails at once; a transient one is thrown as an IOException for
     * {@link RetryPolicy} to retry.
     */
    private byte[] send(String body) throws IOException {
        Request search = new Request("POST", "/_search");
        search.addParameter("allow_partial_search_results", "false");
        search.setJsonEntity(body);
        return LowLevelCall.send(rest, search, description, InputStream::readAllBytes);
    }

    private String searchBody(String pit, List<Object> after, int size) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("pit").put("id", pit).put("keep_alive", keepAlive());
        body.put("size", size);
        body.set("query", query);
        body.set("sort", sort);
        body.put("track_total_hits", false);
        if (request.sourceFields() != null && sourceFetch == SourceFetch.FILTERED) {
            ArrayNode includes = body.putObject("_source").putArray("includes");
            request.sourceFields().forEach(includes::add);
        }
        if (after != null) {
            body.set("search_after", JSON.valueToTree(after));
        }
        return body.toString();
    }

    private Optional<Event> toEvent(SearchPage.Hit hit) {
        if (hit.problem() != null) {
            skip(hit, hit.problem());
            return Optional.empty();
        }
        Map<String, Object> source = hit.source();
        // Only a lookup helper: Event resolves nested objects and dotted keys alike, and reads slots by name.
        Event probe = new Event(hit.id(), hit.index(), Instant.EPOCH, null, source);
        List<Object> sortValues = hit.sort();
        Optional<Instant> timestamp = sortValues.isEmpty() ? Optional.empty() : fromSortValue(sortValues.get(0));
        if (timestamp.isEmpty()) {
            Object raw = probe.first(request.timestampField());
            timestamp = TimestampParser.parse(raw);
            if (timestamp.isEmpty()) {
                skip(
                        hit,
                        request.timestampField()
                                + (raw == null ? " is missing" : " is not a timestamp: '" + raw + "'"));
                return Optional.empty();
            }
        }
        Comparable<?> tiebreaker = null;
        if (request.tiebreakerField() != null
                && !probe.values(request.tiebreakerField()).isEmpty()
                && sortValues.size() > 1) {
            tiebreaker = comparable(sortValues.get(1));
        }
        return Optional.of(new Event(hit.id(), hit.index(), timestamp.get(), tiebreaker, source));
    }

    private void skip(SearchPage.Hit hit, String reason) {
        skipped++;
        if (skippedEvents.size() < MAX_SKIPPED_KEPT) {
            skippedEvents.add(new SkippedEvent(hit.index(), hit.id(), reason));
        }
        log.warn("Skipping event {}/{}: {}", hit.index(), hit.id(), reason);
    }

    static Optional<Instant> fromSortValue(Object value) {
        return TimestampParser.parse(value).filter(t -> t.isBefore(NO_VALUE));
    }

    private static Comparable<?> comparable(Object value) {
        return value instanceof Comparable<?> c ? c : null;
    }

    private String openPit() {
        try {
            return retry.run(
                            description + ": opening a point in time",
                            () -> client.openPointInTime(p -> p.index(request.indices())
                                    .keepAlive(t -> t.time(keepAlive()))
                                    .ignoreUnavailable(true)))
                    .id();
        } catch (ElasticsearchCallException e) {
            // A pattern that matches no index means no events, not an error (allow_no_indices).
            if (e.getCause() instanceof ElasticsearchException ese
                    && "index_not_found_exception".equals(ese.error().type())) {
                log.debug("{}: no such index, nothing to read", description);
                return null;
            }
            throw e;
        }
    }

    private void closePit() {
        String pit = takePit();
        if (pit != null) {
            closePit(pit);
        }
    }

    /** The open point in time, forgotten so that it is closed once; null when none is open. */
    private String takePit() {
        String pit = pitId;
        pitId = null;
        return pit;
    }

    private void closePit(String pit) {
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

    /** The query of the request: its filter within its window on the range field. */
    static ObjectNode buildQuery(ReadRequest request) {
        return ReadFilter.inWindow(
                request.filter(),
                request.rangeField(),
                FULL_PRECISION.format(request.from()),
                FULL_PRECISION.format(request.to()),
                SORT_FORMAT);
    }

    private static ArrayNode buildSort(ReadRequest request) {
        ArrayNode sort = JSON.createArrayNode();
        sort.addObject()
                .putObject(request.timestampField())
                .put("order", "asc")
                .put("format", SORT_FORMAT)
                .put("unmapped_type", "date");
        if (request.tiebreakerField() != null) {
            sort.addObject()
                    .putObject(request.tiebreakerField())
                    .put("order", "asc")
                    .put("unmapped_type", "long");
        }
        sort.addObject().putObject("_shard_doc").put("order", "asc");
        return sort;
    }
}
