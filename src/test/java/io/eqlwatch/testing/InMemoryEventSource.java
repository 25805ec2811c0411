package io.eqlwatch.testing;

import io.eqlwatch.engine.EventOrder;
import io.eqlwatch.eql.dsl.DslInterpreter;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.source.EventCursor;
import io.eqlwatch.source.EventSource;
import io.eqlwatch.source.ReadRequest;
import io.eqlwatch.source.SkippedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * An event source over events held in memory, answering a read as Elasticsearch would: the
 * request's indices (names or {@code *} patterns), its window on the range field (both ends
 * inclusive), its query-DSL filter (interpreted with the given mapped types), in timestamp and
 * tiebreaker order. Remembers every request, so a test can see what a run read.
 */
public final class InMemoryEventSource implements EventSource {

    private final DslInterpreter dsl;
    private final List<Event> events = new ArrayList<>();
    private final List<ReadRequest> requests = Collections.synchronizedList(new ArrayList<>());

    public InMemoryEventSource(FieldTypes types) {
        this.dsl = new DslInterpreter(types);
    }

    public synchronized InMemoryEventSource add(Event... added) {
        Collections.addAll(events, added);
        return this;
    }

    public synchronized InMemoryEventSource addAll(List<Event> added) {
        events.addAll(added);
        return this;
    }

    /** The requests made so far, oldest first. */
    public List<ReadRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public synchronized EventCursor read(ReadRequest request) {
        requests.add(request);
        List<Event> hits = new ArrayList<>();
        for (Event event : events) {
            if (inIndices(event, request.indices())
                    && inWindow(event, request)
                    && (request.filter() == null || dsl.matches(request.filter(), event))) {
                hits.add(event);
            }
        }
        hits.sort(EventOrder.COMPARATOR);
        return new ListCursor(hits);
    }

    private static boolean inIndices(Event event, List<String> patterns) {
        for (String pattern : patterns) {
            String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q");
            if (event.index().matches(regex)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inWindow(Event event, ReadRequest request) {
        Instant at;
        if (request.rangeField().equals(request.timestampField())) {
            at = event.timestamp();
        } else {
            Object value = event.first(request.rangeField());
            if (value == null) {
                return false;
            }
            at = Instant.parse(value.toString());
        }
        return !at.isBefore(request.from()) && !at.isAfter(request.to());
    }

    private static final class ListCursor implements EventCursor {
        private final Iterator<Event> iterator;
        private long read;

        ListCursor(List<Event> events) {
            this.iterator = events.iterator();
        }

        @Override
        public boolean hasNext() {
            return iterator.hasNext();
        }

        @Override
        public Event next() {
            if (!iterator.hasNext()) {
                throw new NoSuchElementException();
            }
            read++;
            return iterator.next();
        }

        @Override
        public long eventsRead() {
            return read;
        }

        @Override
        public long skipped() {
            return 0;
        }

        @Override
        public List<SkippedEvent> skippedEvents() {
            return List.of();
        }

        @Override
        public void close() {}
    }
}
