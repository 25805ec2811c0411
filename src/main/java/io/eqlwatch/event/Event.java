package io.eqlwatch.event;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One event document as read from Elasticsearch (or from a file): where it lives, when it happened,
 * and its source. The source is kept as parsed JSON ({@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean}, {@code null}) so that field lookup can follow both nested objects
 * and dotted keys, as Elasticsearch itself does; or, when read with only the fields a rule needs, as those
 * fields' values in slots ({@link SlottedSource}), which readers index instead of walking maps.
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
        source = source == null
                ? Map.of()
                : source instanceof SlottedSource slotted ? slotted : Collections.unmodifiableMap(source);
    }

    /**
     * Every value the field holds, flattened: a missing field or an explicit {@code null} gives an
     * empty list, an array gives its elements, and arrays of objects are followed into. Both
     * {@code {"host": {"os": {"type": "windows"}}}} and {@code {"host.os.type": "windows"}} (and mixes
     * of the two) resolve {@code host.os.type}.
     */
    public List<Object> values(String field) {
        if (source instanceof SlottedSource slotted) {
            int slot = slotted.layout().slot(field);
            if (slot >= 0) {
                return slotted.values(slot, null);
            }
        }
        return FieldPath.of(field).values(source);
    }

    /** The source's slots when it was decoded into a layout's slots; null for a source held as maps. */
    public SlottedSource slots() {
        return source instanceof SlottedSource slotted ? slotted : null;
    }

    /** The first value of the field, or {@code null} when it has none. */
    public Object first(String field) {
        List<Object> values = values(field);
        return values.isEmpty() ? null : values.get(0);
    }
}
