package io.eqlwatch.engine;

import io.eqlwatch.event.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One result of a query: a single event for an event query, the events of a completed sequence in
 * stage order, or the events of a sample.
 *
 * @param events   the matched events, in order
 * @param joinKeys the join-key values the events share (empty for an event query)
 */
public record Match(List<Event> events, List<Object> joinKeys) {
    public Match {
        events = List.copyOf(events);
        joinKeys = Collections.unmodifiableList(new ArrayList<>(joinKeys));
    }
}
