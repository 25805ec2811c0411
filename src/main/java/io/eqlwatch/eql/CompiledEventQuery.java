package io.eqlwatch.eql;

import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.eval.Condition;
import io.eqlwatch.event.Event;
import java.util.function.Predicate;

/**
 * An event query compiled for repeated evaluation: the category test and the condition as a tree
 * of closures with every pattern prepared. Obtain one from {@link Evaluator#compile(EventQuery)}
 * and keep it for the life of the query.
 */
public final class CompiledEventQuery implements Predicate<Event> {

    private final EventQuery query;
    private final Condition category;
    private final Condition condition;

    CompiledEventQuery(EventQuery query, Condition category, Condition condition) {
        this.query = query;
        this.category = category;
        this.condition = condition;
    }

    public EventQuery query() {
        return query;
    }

    /** Whether the event is of the query's category (any category for {@code any}) and satisfies its condition. */
    public boolean matches(Event event) {
        return category.test(event) && condition.test(event);
    }

    @Override
    public boolean test(Event event) {
        return matches(event);
    }
}
