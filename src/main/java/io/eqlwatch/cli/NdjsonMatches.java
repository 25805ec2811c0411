package io.eqlwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.engine.Match;
import io.eqlwatch.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON line per match, shaped like a hit of Elasticsearch's EQL search response:
 * {@code {"events": [source, ...]}}, plus {@code "join_keys"} for sequences and samples. A
 * missing-event stage ({@code ![...]}) is a {@code null} at its place, where Elasticsearch puts a
 * placeholder event marked {@code missing}.
 */
final class NdjsonMatches {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean joinKeys;

    /** @param joinKeys whether lines carry {@code join_keys} (sequences and samples) */
    NdjsonMatches(boolean joinKeys) {
        this.joinKeys = joinKeys;
    }

    String line(Match match) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (Event event : match.stageEvents()) {
            events.add(event == null ? null : event.source());
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("events", events);
        if (joinKeys) {
            line.put("join_keys", match.joinKeys());
        }
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event source that came from JSON cannot be written as JSON", e);
        }
    }
}
