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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An event source over events held in memory, answering a read as Elasticsearch would: the
 * request's indices (names or {@code *} patterns), its window on the range field (both ends
 * inclusive), its query-DSL filter (interpreted with the given mapped types), in timestamp and
 * tiebreaker order, with only the requested source fields as Elasticsearch's source filtering gives them
 * (and the whole events again through {@link #withFullSources}). Remembers every request, so a test can see
 * what a run read.
 */
public final class InMemoryEventSource implements EventSource {

    private final DslInterpreter dsl;
    private final List<Event> events = new ArrayList<>();
    private final List<ReadRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<ReadRequest> counts = Collections.synchronizedList(new ArrayList<>());

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

    /** The counts asked so far, oldest first (not among {@link #requests()}). */
    public List<ReadRequest> counts() {
        return List.copyOf(counts);
    }

    @Override
    public synchronized long count(ReadRequest request) {
        counts.add(request);
        return hits(request).size();
    }

    @Override
    public synchronized EventCursor read(ReadRequest request) {
        requests.add(request);
        List<Event> hits = hits(request);
        if (request.sourceFields() != null) {
            hits.replaceAll(event -> new Event(
                    event.id(),
                    event.index(),
                    event.timestamp(),
                    event.tiebreaker(),
                    filtered(event.source(), "", request.sourceFields())));
        }
        return new ListCursor(hits);
    }

    private List<Event> hits(ReadRequest request) {
        List<Event> hits = new ArrayList<>();
        for (Event event : events) {
            if (inIndices(event, request.indices())
                    && inWindow(event, request)
                    && (request.filter() == null || dsl.matches(request.filter(), event))) {
                hits.add(event);
            }
        }
        hits.sort(EventOrder.COMPARATOR);
        return hits;
    }

    /** The events as they were added, found again by index and id. */
    @Override
    public synchronized List<Event> withFullSources(List<Event> read) {
        List<Event> out = new ArrayList<>(read.size());
        for (Event event : read) {
            out.add(events.stream()
                    .filter(e -> e.index().equals(event.index()) && e.id().equals(event.id()))
                    .findFirst()
                    .orElse(event));
        }
        return out;
    }

    /**
     * The source as Elasticsearch's source filtering leaves it: a key whose path (dotted keys and nesting alike)
     * is an included field or lies below one is kept whole; one above an included field is followed into
     * (objects, and the objects in arrays); anything else is left out.
     */
    private static Map<String, Object> filtered(Map<String, Object> object, String prefix, Set<String> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            String path = prefix + entry.getKey();
            if (fields.stream().anyMatch(f -> path.equals(f) || path.startsWith(f + "."))) {
                out.put(entry.getKey(), entry.getValue());
            } else if (fields.stream().anyMatch(f -> f.startsWith(path + "."))) {
                Object kept = filteredValue(entry.getValue(), path + ".", fields);
                if (kept != null) {
                    out.put(entry.getKey(), kept);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object filteredValue(Object value, String prefix, Set<String> fields) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> kept = filtered((Map<String, Object>) map, prefix, fields);
            return kept.isEmpty() ? null : kept;
        }
        if (value instanceof List<?> list) {
            List<Object> kept = new ArrayList<>();
            for (Object element : list) {
                Object k = filteredValue(element, prefix, fields);
                if (k != null) {
                    kept.add(k);
                }
            }
            return kept.isEmpty() ? null : kept;
        }
        return null;
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
