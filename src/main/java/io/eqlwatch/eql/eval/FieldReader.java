package io.eqlwatch.eql.eval;

import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldPath;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.event.MappedField;
import io.eqlwatch.event.SlotLayout;
import io.eqlwatch.event.SlottedSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a field's values from an event's {@code _source} as Elasticsearch's EQL sees them through the search
 * {@code fields} option: an alias reads its target, an explicit {@code null} reads the mapping's
 * {@code null_value}, and each value is held as the field's type holds it (dates in the mapping's format).
 * Built once per field of a query; the per-event work is the lookup alone: an index into the event's slots when
 * it was decoded into a layout's ({@link SlottedSource}, resolved once per layout), else a walk of its maps.
 */
public final class FieldReader {

    private final FieldPath own;
    /** An alias's target; {@code null} when the field is no alias. */
    private final FieldPath target;

    private final FieldType type;
    private final MappedField mapping;
    /** Whether normalising a value parses it, so that the last one is worth remembering. */
    private final boolean parses;
    /** The slots of the last layout read from; replaced whole, so a racing reader sees one or the other. */
    private Slots slots;
    /**
     * The last value whose normalisation costs a parse (an ip, a date) and its result, so that the leaves of one
     * condition over the same field ({@code source.ip != "127.0.0.1" and source.ip != "::1"}) parse each event's
     * value once. Replaced whole, as {@link #slots} is.
     */
    private Normalised last;

    private FieldReader(String field, FieldTypes types) {
        this.type = types.of(field);
        this.mapping = types.mapping(field);
        this.own = FieldPath.of(field);
        String path = types.sourcePath(field);
        // An alias cannot hold a value in _source (Elasticsearch refuses to index one), so the field's own path
        // is read first only for indices where the name is a concrete field rather than the alias.
        this.target = path.equals(field) ? null : FieldPath.of(path);
        this.parses = type == FieldType.IP || type == FieldType.DATE || type == FieldType.DATE_NANOS;
    }

    public static FieldReader of(String field, FieldTypes types) {
        return new FieldReader(field, types);
    }

    public FieldType type() {
        return type;
    }

    /** The values as stored (after alias and {@code null_value}), arrays flattened; empty when missing. */
    public List<Object> raw(Event event) {
        SlottedSource slotted = event.slots();
        if (slotted != null) {
            Slots at = slotsIn(slotted.layout());
            if (at.own >= 0 && (target == null || at.target >= 0)) {
                List<Object> values = slotted.values(at.own, mapping.nullValue());
                if (values.isEmpty() && target != null) {
                    values = slotted.values(at.target, mapping.nullValue());
                }
                return values;
            }
        }
        List<Object> values = own.values(event.source(), mapping.nullValue());
        if (values.isEmpty() && target != null) {
            values = target.values(event.source(), mapping.nullValue());
        }
        return values;
    }

    /**
     * The slot of {@code slotted} to read this field's values from one by one ({@link #storedAt}): its own, or
     * its alias target's where its own holds nothing; -1 when the layout lacks one of them (then read
     * {@link #raw}).
     */
    public int slotIn(SlottedSource slotted) {
        Slots at = slotsIn(slotted.layout());
        if (at.own < 0 || (target != null && at.target < 0)) {
            return -1;
        }
        return target != null && slotted.holdsNothing(at.own, mapping.nullValue()) ? at.target : at.own;
    }

    /**
     * Value {@code i} of slot {@code slot} ({@link #slotIn}) of {@code slotted}, an explicit null read as the
     * mapping's {@code null_value}: null when it has none, which a reader skips as {@link #raw} leaves it out.
     */
    public Object storedAt(SlottedSource slotted, int slot, int i) {
        return slotted.storedAt(slot, i, mapping.nullValue());
    }

    private Slots slotsIn(SlotLayout layout) {
        Slots at = slots;
        if (at == null || at.layout != layout) {
            at = new Slots(layout, layout.slot(own.name()), target == null ? -1 : layout.slot(target.name()));
            slots = at;
        }
        return at;
    }

    /**
     * Where this field's paths are in one layout; -1 for a path it has no slot for (then the event's source is
     * read as a map, which holds only what the read fetched).
     */
    private record Slots(SlotLayout layout, int own, int target) {}

    /** One stored value as the field's type holds it; {@code null} when it cannot. */
    public Object normalize(Object raw) {
        if (!parses) {
            return TypedValues.normalize(type, raw, mapping.dateFormat());
        }
        Normalised at = last;
        if (at != null && at.raw == raw) {
            return at.normal;
        }
        Object normal = TypedValues.normalize(type, raw, mapping.dateFormat());
        last = new Normalised(raw, normal);
        return normal;
    }

    /** A stored value (compared by identity: the same value of the same event) and its normal form. */
    private record Normalised(Object raw, Object normal) {}

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
