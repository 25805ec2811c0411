package io.eqlwatch.plan;

import java.util.List;
import java.util.Objects;

/**
 * Where and in which order a plan's events are read.
 *
 * @param indices         index names or patterns
 * @param timestampField  the field that orders events (and that sequences are assembled on)
 * @param windowField     the field a run's window selects events by: the timestamp field, or a
 *                        rule's {@code timestamp_override} such as {@code event.ingested}
 * @param tiebreakerField orders events of equal timestamp; {@code null} for none
 */
public record ReadSpec(List<String> indices, String timestampField, String windowField, String tiebreakerField) {

    public ReadSpec {
        indices = List.copyOf(indices);
        Objects.requireNonNull(timestampField, "timestampField");
        windowField = windowField == null ? timestampField : windowField;
    }

    /** Whether events are selected into windows by when they arrived rather than by their timestamp. */
    public boolean byArrival() {
        return !windowField.equals(timestampField);
    }
}
