package io.eqlwatch.engine;

import io.eqlwatch.event.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One result of a query: a single event for an event query, the events of a completed sequence in
 * stage order, or the events of a sample.
 *
 * @param events        the matched events, in order; missing-event stages ({@code ![...]}) have no
 *                      event and are left out here
 * @param joinKeys      the join-key values the events share (empty for an event query); a null
 *                      element is the value of an optional key ({@code ?field}) that was absent
 * @param missingStages the positions (0-based, counted over the sequence's stages with {@code runs}
 *                      expanded) of missing-event stages, where Elasticsearch puts a placeholder
 *                      event; empty unless the sequence has {@code ![...]} stages
 */
public record Match(List<Event> events, List<Object> joinKeys, List<Integer> missingStages) {

    public Match {
        events = List.copyOf(events);
        joinKeys = Collections.unmodifiableList(new ArrayList<>(joinKeys));
        missingStages = List.copyOf(missingStages);
    }

    public Match(List<Event> events, List<Object> joinKeys) {
        this(events, joinKeys, List.of());
    }

    /**
     * The events laid out by stage as Elasticsearch returns them: one slot per stage, {@code null}
     * where a missing-event stage stands.
     */
    public List<Event> stageEvents() {
        if (missingStages.isEmpty()) {
            return events;
        }
        List<Event> out = new ArrayList<>(events.size() + missingStages.size());
        int next = 0;
        for (int slot = 0; slot < events.size() + missingStages.size(); slot++) {
            out.add(missingStages.contains(slot) ? null : events.get(next++));
        }
        return Collections.unmodifiableList(out);
    }
}
