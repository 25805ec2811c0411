package io.eqlwatch.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One event document as read from Elasticsearch (or from a file): where it lives, when it happened,
 * and its source. The source is kept as parsed JSON ({@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean}, {@code null}) so that field lookup can follow both nested objects
 * and dotted keys, as Elasticsearch itself does.
 *
 * @param id         the document's {@code _id}
 * @param index      the concrete index it was read from (not the pattern)
 * @param timestamp  the instant sequences are ordered by (normally {@code @timestamp})
 * @param tiebreaker value of the optional tiebreaker field; {@code null} when absent
 * @param source     the document's {@code _source}
 */
public record Event(String id, String index, Instant timestamp, Comparable<?> tiebreaker, Map<String, Object> source) {

    public Event {
        Objects.requireNonNull(timestamp, "timestamp");
        source = source == null ? Map.of() : Collections.unmodifiableMap(source);
    }

    /**
     * Every value the field holds, flattened: a missing field or an explicit {@code null} gives an
     * empty list, an array gives its elements, and arrays of objects are followed into. Both
     * {@code {"host": {"os": {"type": "windows"}}}} and {@code {"host.os.type": "windows"}} (and mixes
     * of the two) resolve {@code host.os.type}.
     */
    public List<Object> values(String field) {
        List<Object> out = new ArrayList<>(1);
        collect(source, field, out);
        return out;
    }

    /** The first value of the field, or {@code null} when it has none. */
    public Object first(String field) {
        List<Object> values = values(field);
        return values.isEmpty() ? null : values.get(0);
    }

    private static void collect(Object node, String path, List<Object> out) {
        if (node instanceof List<?> list) {
            for (Object element : list) {
                collect(element, path, out);
            }
            return;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        // Try the whole remaining path as one key, then every split point, so that
        // "file.Ext.header_bytes" resolves whether stored nested or with dotted keys.
        if (map.containsKey(path)) {
            addLeaf(map.get(path), out);
        }
        int dot = path.indexOf('.');
        while (dot > 0) {
            Object child = map.get(path.substring(0, dot));
            if (child != null) {
                collect(child, path.substring(dot + 1), out);
            }
            dot = path.indexOf('.', dot + 1);
        }
    }

    private static void addLeaf(Object value, List<Object> out) {
        if (value == null) {
            return;
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                addLeaf(element, out);
            }
        } else {
            out.add(value);
        }
    }
}
