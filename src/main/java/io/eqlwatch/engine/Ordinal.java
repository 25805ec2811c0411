package io.eqlwatch.engine;

import java.time.Instant;

/**
 * Where an event sits in the stream, the way Elasticsearch orders sequence events: by timestamp,
 * then by the optional tiebreaker (events without one come after those with one), then by the
 * order the events were read in (Elasticsearch's implicit {@code _shard_doc} tiebreaker).
 */
record Ordinal(Instant timestamp, Comparable<?> tiebreaker, long arrival) implements Comparable<Ordinal> {

    @Override
    public int compareTo(Ordinal other) {
        int byKey = compareIgnoringArrival(other);
        return byKey != 0 ? byKey : Long.compare(arrival, other.arrival);
    }

    /** Order by timestamp and tiebreaker only: what the caller must feed in ascending order. */
    int compareIgnoringArrival(Ordinal other) {
        int byTime = timestamp.compareTo(other.timestamp);
        if (byTime != 0) {
            return byTime;
        }
        return Tiebreakers.compare(tiebreaker, other.tiebreaker);
    }
}
