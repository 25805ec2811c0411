package io.eqlwatch.event;

/**
 * The Elasticsearch mapping type of a field, reduced to what changes how a value compares.
 * {@link #UNKNOWN} means no mapping is known (an offline file, an unmapped field): values then
 * compare by their JSON type.
 */
public enum FieldType {
    KEYWORD,
    TEXT,
    LONG,
    DOUBLE,
    IP,
    /** {@code date}: millisecond precision, finer fractions are dropped when indexed. */
    DATE,
    /** {@code date_nanos}: nanosecond precision, so equality and ranges tell apart instants within a millisecond. */
    DATE_NANOS,
    BOOLEAN,
    OBJECT,
    UNKNOWN;

    /** Whether values of this type are instants. */
    public boolean isDate() {
        return this == DATE || this == DATE_NANOS;
    }

    /** Maps an Elasticsearch mapping {@code type} name to the type that decides comparisons. */
    public static FieldType fromMapping(String esType) {
        if (esType == null) {
            return UNKNOWN;
        }
        return switch (esType) {
            case "keyword", "constant_keyword", "wildcard", "version" -> KEYWORD;
            case "text", "match_only_text" -> TEXT;
            case "long", "integer", "short", "byte", "unsigned_long" -> LONG;
            case "double", "float", "half_float", "scaled_float" -> DOUBLE;
            case "ip" -> IP;
            case "date" -> DATE;
            case "date_nanos" -> DATE_NANOS;
            case "boolean" -> BOOLEAN;
            case "object", "nested", "flattened" -> OBJECT;
            default -> UNKNOWN;
        };
    }
}
