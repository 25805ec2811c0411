package io.eqlwatch.event;

/**
 * The Elasticsearch mapping type of a field, reduced to what changes how a value compares.
 * {@link #UNKNOWN} means no mapping is known (an offline file, an unmapped field): values then
 * compare by their JSON type.
 */
public enum FieldType {
    KEYWORD, TEXT, LONG, DOUBLE, IP, DATE, BOOLEAN, OBJECT, UNKNOWN;

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
            case "date", "date_nanos" -> DATE;
            case "boolean" -> BOOLEAN;
            case "object", "nested", "flattened" -> OBJECT;
            default -> UNKNOWN;
        };
    }
}
