package io.eqlwatch.engine;

import io.eqlwatch.event.Event;

/**
 * Gives each event its {@link Ordinal} and refuses events that go back in time: the matchers are
 * streaming state machines and would silently give wrong answers on unordered input.
 */
final class StreamClock {

    private long arrivals;
    private Ordinal last;
    private Event lastEvent;

    Ordinal next(Event event) {
        Ordinal ordinal = new Ordinal(event.timestamp(), event.tiebreaker(), arrivals);
        if (last != null && ordinal.compareIgnoringArrival(last) < 0) {
            throw new IllegalArgumentException("events must arrive in timestamp/tiebreaker order, but event "
                    + describe(event) + " came after " + describe(lastEvent));
        }
        arrivals++;
        last = ordinal;
        lastEvent = event;
        return ordinal;
    }

    long seen() {
        return arrivals;
    }

    private static String describe(Event event) {
        String tiebreaker = event.tiebreaker() == null ? "" : " tiebreaker " + event.tiebreaker();
        return "'" + event.id() + "' (" + event.timestamp() + tiebreaker + ")";
    }
}
