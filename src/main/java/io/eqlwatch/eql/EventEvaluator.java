package io.eqlwatch.eql;

import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.event.Event;
import java.util.List;

/**
 * What the sequence engine needs from the language: does an event satisfy an event query, and
 * which values does a join-key expression take on it.
 */
public interface EventEvaluator {

    /** {@code true} when the event's category and the condition both match. Null is not a match. */
    boolean matches(EventQuery query, Event event);

    /**
     * The values of a join key on the event: one per value of a multi-valued field, empty when the
     * field is missing (then the event takes no part in a join, unless the key is optional).
     */
    List<Object> joinValues(Expr key, Event event);
}
