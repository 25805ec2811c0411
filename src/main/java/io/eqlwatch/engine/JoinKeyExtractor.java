package io.eqlwatch.engine;

import io.eqlwatch.eql.EventEvaluator;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Computes the join keys an event takes part in. As in Elasticsearch, each value of a multi-valued
 * key is its own key (a value repeated in the array counts once: test_extra.toml,
 * sequenceWithMultivalue_Duplicates), and several multi-valued keys give their cartesian product; an
 * event missing a required key takes no part at all, while an absent optional key ({@code ?field})
 * joins as null.
 */
final class JoinKeyExtractor {

    private final List<Expr> keys;
    private final EventEvaluator evaluator;

    JoinKeyExtractor(List<Expr> keys, EventEvaluator evaluator) {
        this.keys = List.copyOf(keys);
        this.evaluator = evaluator;
    }

    /** The event's join keys, in a stable order; empty when a required key is missing. */
    List<JoinKey> keysOf(Event event) {
        if (keys.isEmpty()) {
            return List.of(JoinKey.NONE);
        }
        List<List<Object>> partial = new ArrayList<>();
        partial.add(new ArrayList<>());
        for (Expr key : keys) {
            List<Object> values = distinctValues(key, event);
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

    private List<Object> distinctValues(Expr key, Event event) {
        boolean optional = key instanceof Expr.Field field && field.optional();
        Set<Object> values = new LinkedHashSet<>();
        for (Object value : evaluator.joinValues(key, event)) {
            if (value != null) {
                values.add(JoinKey.normalise(value));
            }
        }
        if (values.isEmpty() && optional) {
            List<Object> absent = new ArrayList<>(1);
            absent.add(null);
            return absent;
        }
        return new ArrayList<>(values);
    }
}
