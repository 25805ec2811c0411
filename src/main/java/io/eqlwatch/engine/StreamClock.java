package io.eqlwatch.engine;

import io.eqlwatch.event.Event;

/**
 * Numbers the events in arrival order and refuses events that go back in time: the matchers are streaming state
 * machines and would silently give wrong answers on unordered input. It keeps the last event, not an
 * {@link Ordinal}, so that the events no stage accepts (most of them) cost a comparison and no allocation.
 */
final class StreamClock {

    private long arrivals;
    private Event last;

    /** The event's arrival number, after checking it does not come before the previous event. */
    long next(Event event) {
        if (last != null && EventOrder.COMPARATOR.compare(event, last) < 0) {
            throw new IllegalArgumentException("events must arrive in timestamp/tiebreaker order, but event "
                    + describe(event) + " came after " + describe(last));
        }
        last = event;
        return arrivals++;
    }

    long seen() {
        return arrivals;
    }

    private static String describe(Event event) {
        String tiebreaker = event.tiebreaker() == null ? "" : " tiebreaker " + event.tiebreaker();
        return "'" + event.id() + "' (" + event.timestamp() + tiebreaker + ")";
    }
}
