package io.eqlwatch.source;

import io.eqlwatch.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run reads events from: Elasticsearch in production ({@link EventReader}), a list in
 * memory in the run loop's tests.
 */
@FunctionalInterface
public interface EventSource {

    /** Starts reading; close the cursor (or read it to the end) to release what it holds. */
    EventCursor read(ReadRequest request);

    /**
     * How many events the request would read, without reading them (a plan decides by it whether a read is
     * worth making). This default reads them and counts; a source that can ask its store does so instead.
     */
    default long count(ReadRequest request) {
        try (EventCursor events = read(request)) {
            long count = 0;
            while (events.hasNext()) {
                events.next();
                count++;
            }
            return count;
        }
    }

    /**
     * How many events each request would read, counted only up to {@code upTo}: a figure of {@code upTo} means
     * "at least that many", so a store may stop counting there; {@code -1} where the store refused that one
     * request. Many counts at once, so that a batch of rules can ask in one round trip; this default counts each
     * request by {@link #count}.
     */
    default long[] countsUpTo(List<ReadRequest> requests, long upTo) {
        long[] counts = new long[requests.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.min(upTo, count(requests.get(i)));
        }
        return counts;
    }

    /**
     * Where in time each request's events lie, without reading them: {@link TimestampExtent#NONE} for a request
     * with no event, {@code null} where the store cannot tell exactly (it refused the request, or an event's
     * timestamp is only in its source). This default reads the events.
     */
    default List<TimestampExtent> extents(List<ReadRequest> requests) {
        List<TimestampExtent> extents = new ArrayList<>();
        for (ReadRequest request : requests) {
            TimestampExtent extent = TimestampExtent.NONE;
            try (EventCursor events = read(request)) {
                while (events.hasNext()) {
                    extent = extent.with(events.next().timestamp());
                }
            }
            extents.add(extent);
        }
        return extents;
    }

    /**
     * The same events, in the same order, each with its whole {@code _source}: a read limited to
     * {@link ReadRequest#sourceFields()} gives events with only those fields, but an alert carries its events
     * whole. A source that always reads whole sources (as one in memory does) gives the list back as it is.
     */
    default List<Event> withFullSources(List<Event> events) {
        return events;
    }
}
