package io.eqlwatch.event;

/**
 * What a field's mapping says beyond its type about how its values are read, as Elasticsearch's EQL reads
 * them through the search {@code fields} option.
 *
 * @param aliasOf    for an {@code alias} field, the path of the field it stands for (whose value is in
 *                   {@code _source}); {@code null} otherwise
 * @param nullValue  the mapping's {@code null_value}, which an explicit JSON {@code null} is indexed (and
 *                   returned) as; {@code null} when the mapping has none
 * @param dateFormat for a date field, how its text reads as an instant
 */
public record MappedField(String aliasOf, Object nullValue, DateFormat dateFormat) {

    /** A field whose mapping has nothing to add. */
    public static final MappedField PLAIN = new MappedField(null, null, DateFormat.DEFAULT);

    public MappedField {
        dateFormat = dateFormat == null ? DateFormat.DEFAULT : dateFormat;
    }

    public boolean isPlain() {
        return aliasOf == null && nullValue == null && dateFormat == DateFormat.DEFAULT;
    }
}
