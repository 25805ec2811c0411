package io.eqlwatch.engine;

import io.eqlwatch.event.Event;
import java.util.Comparator;

/**
 * The order a query runner expects events in: ascending timestamp, then ascending tiebreaker with
 * events lacking one last. Equal events keep their input order, so sort with a stable sort.
 */
public final class EventOrder {

    public static final Comparator<Event> COMPARATOR = (a, b) -> {
        int byTime = a.timestamp().compareTo(b.timestamp());
        return byTime != 0 ? byTime : Tiebreakers.compare(a.tiebreaker(), b.tiebreaker());
    };

    private EventOrder() {}
}
