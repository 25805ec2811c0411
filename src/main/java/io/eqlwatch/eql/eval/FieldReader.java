package io.eqlwatch.eql.eval;

import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldPath;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.event.MappedField;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a field's values from an event's {@code _source} as Elasticsearch's EQL sees them through the search
 * {@code fields} option: an alias reads its target, an explicit {@code null} reads the mapping's
 * {@code null_value}, and each value is held as the field's type holds it (dates in the mapping's format).
 * Built once per field of a query; the per-event work is the lookup alone.
 */
public final class FieldReader {

    private final FieldPath own;
    /** An alias's target; {@code null} when the field is no alias. */
    private final FieldPath target;

    private final FieldType type;
    private final MappedField mapping;

    private FieldReader(String field, FieldTypes types) {
        this.type = types.of(field);
        this.mapping = types.mapping(field);
        this.own = FieldPath.of(field);
        String path = types.sourcePath(field);
        // An alias cannot hold a value in _source (Elasticsearch refuses to index one), so the field's own path
        // is read first only for indices where the name is a concrete field rather than the alias.
        this.target = path.equals(field) ? null : FieldPath.of(path);
    }

    public static FieldReader of(String field, FieldTypes types) {
        return new FieldReader(field, types);
    }

    public FieldType type() {
        return type;
    }

    /** The values as stored (after alias and {@code null_value}), arrays flattened; empty when missing. */
    public List<Object> raw(Event event) {
        List<Object> values = own.values(event.source(), mapping.nullValue());
        if (values.isEmpty() && target != null) {
            values = target.values(event.source(), mapping.nullValue());
        }
        return values;
    }

    /** One stored value as the field's type holds it; {@code null} when it cannot. */
    public Object normalize(Object raw) {
        return TypedValues.normalize(type, raw, mapping.dateFormat());
    }

    /** The values as the field's type holds them, leaving out those it cannot hold. */
    public List<Object> values(Event event) {
        List<Object> raw = raw(event);
        List<Object> out = new ArrayList<>(raw.size());
        for (Object value : raw) {
            Object normal = normalize(value);
            if (normal != null) {
                out.add(normal);
            }
        }
        return out;
    }
}
