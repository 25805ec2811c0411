package io.eqlwatch.event;

import java.util.Map;

/** The mapped types of the fields a query reads, keyed by full dotted field name. */
public record FieldTypes(Map<String, FieldType> byField) {

    /** No mapping known: every field compares by its JSON value. */
    public static final FieldTypes NONE = new FieldTypes(Map.of());

    public FieldTypes {
        byField = Map.copyOf(byField);
    }

    public FieldType of(String field) {
        return byField.getOrDefault(field, FieldType.UNKNOWN);
    }
}
