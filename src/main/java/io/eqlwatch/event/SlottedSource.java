package io.eqlwatch.event;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An event's {@code _source} as the values of the fields of a {@link SlotLayout}, decoded straight from the
 * search response: per slot, every value of the field exactly as {@link FieldPath#values(Map, Object)} would
 * find it in the document (arrays flattened, arrays of objects followed into, an object where a value is
 * expected kept as its {@code Map}), explicit JSON {@code null}s kept as {@link #EXPLICIT_NULL} so that each
 * reader applies its mapping's {@code null_value}. Reading a field is an array index, not a walk through maps.
 *
 * <p>It is also a {@code Map} for what needs one (an alert copying the fields an event was read with): the map,
 * built on first use, nests each field's values under its path. Immutable.
 */
public final class SlottedSource extends AbstractMap<String, Object> {

    /** Stands for an explicit JSON {@code null} among a slot's values. */
    public static final Object EXPLICIT_NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private final SlotLayout layout;
    /**
     * Per slot: {@code null} for a missing field, an {@code Object[]} of two or more values, else the one value
     * itself (no value is an array: arrays are flattened). One object fewer per field than a list per slot, so
     * that a condition's first look at an event's field touches the event's own cells, not a list elsewhere.
     */
    private final Object[] cells;

    private Map<String, Object> asMap;

    /**
     * @param cells per slot of the layout: {@code null} for a missing field, one value as itself, several as an
     *              {@code Object[]} in document order as {@link FieldPath} orders them. Taken as is: it must not
     *              change afterwards.
     */
    public SlottedSource(SlotLayout layout, Object[] cells) {
        this.layout = Objects.requireNonNull(layout, "layout");
        if (cells.length != layout.size()) {
            throw new IllegalArgumentException(
                    "expected " + layout.size() + " slots for " + layout + ", got " + cells.length);
        }
        this.cells = cells;
    }

    public SlotLayout layout() {
        return layout;
    }

    /** How many values slot {@code slot} holds, explicit nulls included. */
    public int count(int slot) {
        Object cell = cells[slot];
        return cell == null ? 0 : cell instanceof Object[] several ? several.length : 1;
    }

    /** Value {@code i} of slot {@code slot}, an explicit null read as {@code nullValue} (which may be null). */
    public Object storedAt(int slot, int i, Object nullValue) {
        Object cell = cells[slot];
        Object value = cell instanceof Object[] several ? several[i] : cell;
        return value == EXPLICIT_NULL ? nullValue : value;
    }

    /**
     * Whether slot {@code slot} holds no value once explicit nulls are read as {@code nullValue}: missing, or only
     * nulls with no {@code null_value} to stand for them.
     */
    public boolean holdsNothing(int slot, Object nullValue) {
        Object cell = cells[slot];
        if (cell == null) {
            return true;
        }
        if (nullValue != null) {
            return false;
        }
        if (cell instanceof Object[] several) {
            for (Object value : several) {
                if (value != EXPLICIT_NULL) {
                    return false;
                }
            }
            return true;
        }
        return cell == EXPLICIT_NULL;
    }

    /** The values in slot {@code slot}, explicit nulls as {@link #EXPLICIT_NULL}. */
    public List<Object> stored(int slot) {
        Object cell = cells[slot];
        if (cell == null) {
            return List.of();
        }
        return cell instanceof Object[] several ? Collections.unmodifiableList(Arrays.asList(several)) : List.of(cell);
    }

    /**
     * The values of the field in slot {@code slot} as {@link FieldPath#values(Map, Object)} gives them: an
     * explicit {@code null} read as {@code nullValue}, or left out when that is {@code null}.
     */
    public List<Object> values(int slot, Object nullValue) {
        Object cell = cells[slot];
        if (cell == null) {
            return List.of();
        }
        if (!(cell instanceof Object[] several)) {
            return cell != EXPLICIT_NULL ? List.of(cell) : nullValue != null ? List.of(nullValue) : List.of();
        }
        List<Object> out = new ArrayList<>(several.length);
        for (Object value : several) {
            if (value != EXPLICIT_NULL) {
                out.add(value);
            } else if (nullValue != null) {
                out.add(nullValue);
            }
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return asMap().entrySet();
    }

    @Override
    public Object get(Object key) {
        return asMap().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return asMap().containsKey(key);
    }

    private Map<String, Object> asMap() {
        Map<String, Object> map = asMap;
        if (map == null) {
            map = nested();
            asMap = map;
        }
        return map;
    }

    /**
     * Each field's values under its path, nested by segment: one value as itself, several as a list. A path
     * under a field whose values include objects is left out (those objects hold it already), and a segment
     * already holding a value keeps the rest of the path as one dotted key.
     */
    private Map<String, Object> nested() {
        Map<String, Object> root = new LinkedHashMap<>();
        for (int slot = 0; slot < cells.length; slot++) {
            List<Object> values = stored(slot);
            if (values.isEmpty() || underObjectValues(layout.path(slot))) {
                continue;
            }
            List<Object> plain = new ArrayList<>(values.size());
            values.forEach(v -> plain.add(v == EXPLICIT_NULL ? null : v));
            put(root, layout.path(slot), plain.size() == 1 ? plain.get(0) : plain);
        }
        return Collections.unmodifiableMap(root);
    }

    private boolean underObjectValues(String path) {
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            int parent = layout.slot(path.substring(0, dot));
            if (parent >= 0 && stored(parent).stream().anyMatch(v -> v instanceof Map<?, ?>)) {
                return true;
            }
        }
        return false;
    }

    /** An object made up while nesting paths, told apart from the objects among an event's values. */
    private static final class Branch extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;
    }

    private static void put(Map<String, Object> root, String path, Object value) {
        Map<String, Object> at = root;
        int from = 0;
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', from)) {
            String segment = path.substring(from, dot);
            Object child = at.get(segment);
            if (child == null && !at.containsKey(segment)) {
                child = new Branch();
                at.put(segment, child);
            }
            if (!(child instanceof Branch)) {
                break;
            }
            at = (Branch) child;
            from = dot + 1;
        }
        at.put(path.substring(from), value);
    }
}
