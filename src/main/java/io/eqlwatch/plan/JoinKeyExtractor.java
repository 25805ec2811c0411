package io.eqlwatch.plan;

import io.eqlwatch.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Computes the join keys an event takes part in. As in Elasticsearch, each value of a multi-valued
 * key is its own key (a value repeated in the array counts once: test_extra.toml,
 * sequenceWithMultivalue_Duplicates), and several multi-valued keys give their cartesian product; an
 * event missing a required key takes no part at all, while an absent optional key ({@code ?field})
 * joins as null.
 *
 * <p>Each key's value reader is bound when the plan is made, so extracting keys looks nothing up.
 */
public final class JoinKeyExtractor {

    private final List<Function<Event, List<Object>>> readers;
    private final boolean[] optional;

    /**
     * @param readers  per key, the values the key takes on an event, as the evaluator reads them
     * @param optional per key, whether it is an optional {@code ?field}, which joins as null when absent
     */
    JoinKeyExtractor(List<Function<Event, List<Object>>> readers, List<Boolean> optional) {
        this.readers = List.copyOf(readers);
        this.optional = new boolean[optional.size()];
        for (int i = 0; i < optional.size(); i++) {
            this.optional[i] = optional.get(i);
        }
    }

    /** The event's join keys, in a stable order; empty when a required key is missing. */
    public List<JoinKey> keysOf(Event event) {
        if (readers.isEmpty()) {
            return List.of(JoinKey.NONE);
        }
        if (readers.size() == 1) {
            return singleKeyOf(event);
        }
        JoinKey single = onlyKeyOf(event);
        if (single != null) {
            return List.of(single);
        }
        List<List<Object>> partial = new ArrayList<>();
        partial.add(new ArrayList<>());
        for (int k = 0; k < readers.size(); k++) {
            List<Object> values = distinctValues(k, event);
            if (values.isEmpty()) {
                return List.of();
            }
            // The first key varies slowest, as Elasticsearch expands them (test_extra.toml,
            // sequenceWithMultivalue_CartesianProduct: tag3/item1, tag3/item2, tag4/item1, tag4/item2).
            List<List<Object>> next = new ArrayList<>(partial.size() * values.size());
            for (List<Object> prefix : partial) {
                for (Object value : values) {
                    List<Object> extended = new ArrayList<>(prefix);
                    extended.add(value);
                    next.add(extended);
                }
            }
            partial = next;
        }
        List<JoinKey> out = new ArrayList<>(partial.size());
        for (List<Object> values : partial) {
            out.add(new JoinKey(values));
        }
        return out;
    }

    /**
     * The one key of an event on which every key field has one value (the usual case: {@code host.id} and an
     * entity id), without the sets and lists of the product; null when some field has none or several.
     */
    private JoinKey onlyKeyOf(Event event) {
        Object[] values = new Object[readers.size()];
        for (int k = 0; k < values.length; k++) {
            List<Object> raw = readers.get(k).apply(event);
            if (raw.size() != 1 || raw.get(0) == null) {
                return null;
            }
            values[k] = raw.get(0);
        }
        return JoinKey.ofOwned(values);
    }

    /** One key: its values themselves, without building the product (most sequences join on one field). */
    private List<JoinKey> singleKeyOf(Event event) {
        List<Object> raw = readers.get(0).apply(event);
        if (raw.size() == 1 && raw.get(0) != null) {
            return List.of(JoinKey.ofOwned(raw.get(0)));
        }
        List<Object> values = distinctValues(0, event);
        List<JoinKey> out = new ArrayList<>(values.size());
        for (Object value : values) {
            out.add(JoinKey.ofOwned(value));
        }
        return out;
    }

    /** The raw values of key {@code k} on the event, as the evaluator reads them (for narrowing reads by key). */
    public List<Object> valuesOf(int k, Event event) {
        return readers.get(k).apply(event);
    }

    private List<Object> distinctValues(int k, Event event) {
        Set<Object> values = new LinkedHashSet<>();
        for (Object value : readers.get(k).apply(event)) {
            if (value != null) {
                values.add(JoinKey.normalise(value));
            }
        }
        if (values.isEmpty() && optional[k]) {
            List<Object> absent = new ArrayList<>(1);
            absent.add(null);
            return absent;
        }
        return new ArrayList<>(values);
    }
}
