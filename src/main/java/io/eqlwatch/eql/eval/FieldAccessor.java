package io.eqlwatch.eql.eval;

import io.eqlwatch.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one field's values from events, resolving the dotted name through nested objects, dotted
 * keys and arrays exactly as {@link Event#values(String)} does, but with every split of the name
 * prepared once so that a lookup allocates nothing but its result. With a mapping's {@code null_value}, an
 * explicit JSON {@code null} (alone or in an array) reads as that value, as Elasticsearch indexes and returns it.
 */
final class FieldAccessor {

    private final String name;
    private final Object nullValue;
    /** For each dot in the name: the part before it and the rest after it. */
    private final String[] heads;

    private final FieldAccessor[] tails;

    FieldAccessor(String name) {
        this(name, null);
    }

    FieldAccessor(String name, Object nullValue) {
        this.name = name;
        this.nullValue = nullValue;
        List<String> headList = new ArrayList<>();
        List<String> tailNames = new ArrayList<>();
        int dot = name.indexOf('.');
        while (dot > 0) {
            headList.add(name.substring(0, dot));
            tailNames.add(name.substring(dot + 1));
            dot = name.indexOf('.', dot + 1);
        }
        heads = headList.toArray(String[]::new);
        tails = new FieldAccessor[tailNames.size()];
        for (int i = 0; i < tails.length; i++) {
            tails[i] = new FieldAccessor(tailNames.get(i), nullValue);
        }
    }

    String name() {
        return name;
    }

    /** Every non-null value, arrays flattened; empty when the field is missing. */
    List<Object> values(Event event) {
        List<Object> out = new ArrayList<>(2);
        collect(event.source(), out);
        return out;
    }

    private void collect(Object node, List<Object> out) {
        if (node instanceof List<?> list) {
            for (Object element : list) {
                collect(element, out);
            }
            return;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        Object whole = map.get(name);
        if (whole != null) {
            addLeaf(whole, out);
        } else if (nullValue != null && map.containsKey(name)) {
            out.add(nullValue);
        }
        for (int i = 0; i < heads.length; i++) {
            Object child = map.get(heads[i]);
            if (child != null) {
                tails[i].collect(child, out);
            }
        }
    }

    private void addLeaf(Object value, List<Object> out) {
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (element != null) {
                    addLeaf(element, out);
                } else if (nullValue != null) {
                    out.add(nullValue);
                }
            }
        } else if (value != null) {
            out.add(value);
        }
    }
}
