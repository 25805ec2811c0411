package io.eqlwatch.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.event.Event;
import java.util.List;
import java.util.function.Predicate;

/**
 * One stage of a query, compiled: for an event query its only stage, for a sequence or a sample
 * each bracketed stage as written (and {@code until}), in the spirit of Elasticsearch's
 * {@code SequenceCriterion}.
 *
 * @param position     the stage's place as written (0-based; {@code until} comes after the stages)
 * @param query        the stage's event query, for messages and for code that reports on the query
 * @param condition    the compiled category test and condition
 * @param keys         the stage's full join key: the query's shared keys, then the stage's own
 * @param keyExtractor computes the join keys an event takes part in
 * @param pushDown     the query-DSL filter that reads a superset of the stage's events (with
 *                     {@code exists} on each required key); {@code null} in a plan made for
 *                     matching only. Do not modify it: it is shared by every read of the plan
 * @param missing      {@code true} for a missing-event stage {@code ![...]}
 * @param runs         how many consecutive matches the stage stands for ({@code with runs=N})
 */
public record StagePlan(
        int position,
        EventQuery query,
        Predicate<Event> condition,
        List<Expr> keys,
        JoinKeyExtractor keyExtractor,
        ObjectNode pushDown,
        boolean missing,
        int runs) {

    public StagePlan {
        keys = List.copyOf(keys);
    }

    public boolean matches(Event event) {
        return condition.test(event);
    }

    /** The event's join keys for this stage; empty when it lacks a required key. */
    public List<JoinKey> keysOf(Event event) {
        return keyExtractor.keysOf(event);
    }

    /**
     * The field of key {@code k} when a read may be narrowed to the values it took elsewhere: a
     * plain required field. {@code null} for an optional field (its absence also joins) or a
     * computed key.
     */
    public String narrowableKeyField(int k) {
        return keys.get(k) instanceof Expr.Field field && !field.optional() ? field.name() : null;
    }

    /** The values key {@code k} takes on the event, as the evaluator reads them. */
    public List<Object> keyValues(int k, Event event) {
        return keyExtractor.valuesOf(k, event);
    }
}
