package io.eqlwatch.engine;

import io.eqlwatch.event.Event;
import io.eqlwatch.plan.JoinKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A sequence in flight: the events matched so far for one join key. Mutable on purpose: it moves
 * from one stage slot to the next and is owned by exactly one slot at a time.
 */
final class PartialSequence {

    final JoinKey key;
    private final Event[] events;
    private final Ordinal[] ordinals;
    private int stage;
    /** Latest leading missing event before the first event, if any (Elasticsearch's "lastLeading"). */
    Instant lastLeading;
    /** A missing-event stage between two matched stages did occur: the sequence can never be returned. */
    boolean tainted;

    PartialSequence(JoinKey key, int stageCount, int firstStage, Event event, Ordinal ordinal) {
        this.key = key;
        this.events = new Event[stageCount];
        this.ordinals = new Ordinal[stageCount];
        put(firstStage, event, ordinal);
    }

    void put(int stage, Event event, Ordinal ordinal) {
        this.stage = stage;
        events[stage] = event;
        ordinals[stage] = ordinal;
    }

    int stage() {
        return stage;
    }

    Ordinal ordinalAt(int stage) {
        return ordinals[stage];
    }

    Instant start() {
        for (Ordinal ordinal : ordinals) {
            if (ordinal != null) {
                return ordinal.timestamp();
            }
        }
        throw new IllegalStateException("empty sequence");
    }

    Ordinal last() {
        return ordinals[stage];
    }

    Match toMatch() {
        List<Event> matched = new ArrayList<>(events.length);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            if (events[i] == null) {
                missing.add(i);
            } else {
                matched.add(events[i]);
            }
        }
        return new Match(matched, key.values(), missing);
    }
}
