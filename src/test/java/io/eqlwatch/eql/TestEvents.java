package io.eqlwatch.eql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Builds events from JSON text, as they arrive from Elasticsearch or a file. */
final class TestEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static int counter;

    private TestEvents() {}

    static Event event(String json) {
        try {
            Map<String, Object> source = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
            return new Event("id-" + (++counter), "test-index", Instant.parse("2024-01-01T00:00:00Z"), null, source);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** Mapped types given as alternating field names and types. */
    static FieldTypes types(Object... fieldsAndTypes) {
        Map<String, FieldType> map = new HashMap<>();
        for (int i = 0; i < fieldsAndTypes.length; i += 2) {
            map.put((String) fieldsAndTypes[i], (FieldType) fieldsAndTypes[i + 1]);
        }
        return new FieldTypes(map);
    }
}
