package io.eqlwatch.event;

import java.util.Map;

/**
 * The mapped types of the fields of a rule's indices, keyed by full dotted field name, with what their
 * mappings say about reading values ({@link MappedField}: aliases, {@code null_value}, date formats).
 *
 * @param byField every mapped field (alias fields included, with their target's type)
 * @param details the fields whose mapping says more than their type; others read plainly
 * @param complete whether {@code byField} is every field of the indices (read from a mapping), so that a field
 *                 missing from it exists nowhere; {@code false} for types merely assumed (an offline file)
 * @param regexpFolding how the cluster's {@code regexp} query folds case on these fields' terms, which its version
 *                 decides ({@link CaseFolding#ASCII} when no cluster was asked)
 */
public record FieldTypes(
        Map<String, FieldType> byField, Map<String, MappedField> details, boolean complete, CaseFolding regexpFolding) {

    /** No mapping known: every field compares by its JSON value. */
    public static final FieldTypes NONE = new FieldTypes(Map.of());

    public FieldTypes {
        byField = Map.copyOf(byField);
        details = Map.copyOf(details);
        java.util.Objects.requireNonNull(regexpFolding, "regexpFolding");
    }

    public FieldTypes(Map<String, FieldType> byField, Map<String, MappedField> details, boolean complete) {
        this(byField, details, complete, CaseFolding.ASCII);
    }

    /** The same types, on a cluster whose {@code regexp} query folds case as given. */
    public FieldTypes withRegexpFolding(CaseFolding folding) {
        return folding == regexpFolding ? this : new FieldTypes(byField, details, complete, folding);
    }

    /** Types read from a mapping (complete when there are any). */
    public FieldTypes(Map<String, FieldType> byField) {
        this(byField, Map.of(), !byField.isEmpty());
    }

    /** Types assumed without a mapping: they decide comparisons but say nothing about which fields exist. */
    public static FieldTypes assumed(Map<String, FieldType> byField) {
        return new FieldTypes(byField, Map.of(), false);
    }

    public FieldType of(String field) {
        return byField.getOrDefault(field, FieldType.UNKNOWN);
    }

    /**
     * Whether the field is known not to exist in any of the indices: only when the mapping is complete (an
     * offline file, or indices that do not exist, tell nothing).
     */
    public boolean isUnknown(String field) {
        return complete && !byField.containsKey(field);
    }

    /** The path of the field's value in {@code _source}: an alias's target, or the field itself. */
    public String sourcePath(String field) {
        MappedField detail = details.get(field);
        return detail == null || detail.aliasOf() == null ? field : detail.aliasOf();
    }

    /** How the field's mapping reads values (for an alias: its target's). */
    public MappedField mapping(String field) {
        MappedField detail = details.get(sourcePath(field));
        return detail == null ? MappedField.PLAIN : detail;
    }
}
