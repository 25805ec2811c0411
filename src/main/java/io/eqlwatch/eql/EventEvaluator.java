package io.eqlwatch.eql;

import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.event.Event;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a query plan needs from the language: does an event satisfy an event query, and which values
 * does a join-key expression take on it. A plan calls {@link #compile} and {@link #joinReader} once
 * per stage and key; the per-event path then runs only what they returned.
 */
public interface EventEvaluator {

    /** {@code true} when the event's category and the condition both match. Null is not a match. */
    boolean matches(EventQuery query, Event event);

    /**
     * The values of a join key on the event: one per value of a multi-valued field, empty when the
     * field is missing (then the event takes no part in a join, unless the key is optional).
     */
    List<Object> joinValues(Expr key, Event event);

    /** The query made ready for repeated evaluation; by default it evaluates through {@link #matches}. */
    default Predicate<Event> compile(EventQuery query) {
        return event -> matches(query, event);
    }

    /** The key made ready for repeated reading; by default it reads through {@link #joinValues}. */
    default Function<Event, List<Object>> joinReader(Expr key) {
        return event -> joinValues(key, event);
    }
}
