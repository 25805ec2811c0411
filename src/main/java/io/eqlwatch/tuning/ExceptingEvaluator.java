package io.eqlwatch.tuning;

import io.eqlwatch.eql.EventEvaluator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.event.Event;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * An evaluator in which an excepted event satisfies none of the query's positive parts: an event
 * query, the stages of a sequence that need an event, the stages of a sample. It still satisfies
 * an {@code until} stage and a missing-event stage {@code ![...]}: hiding it there would end no
 * sequence and fill no gap, and so raise alerts that the unexcepted data does not support. (Kibana
 * sends exceptions as a {@code must_not} over the whole EQL request, so there an excepted event
 * is hidden from those stages too.)
 */
public final class ExceptingEvaluator implements EventEvaluator {

    private final EventEvaluator inner;
    private final ExceptionMatcher exceptions;
    private final Set<EventQuery> positive;

    private ExceptingEvaluator(EventEvaluator inner, ExceptionMatcher exceptions, Set<EventQuery> positive) {
        this.inner = inner;
        this.exceptions = exceptions;
        this.positive = positive;
    }

    /** {@code inner} itself when no exception applies. */
    public static EventEvaluator wrap(EventEvaluator inner, ExceptionMatcher exceptions, Query query) {
        if (exceptions.isEmpty()) {
            return inner;
        }
        return new ExceptingEvaluator(inner, exceptions, positiveParts(query));
    }

    /** The event queries an excepted event must not satisfy, by identity (two stages may be written alike). */
    static Set<EventQuery> positiveParts(Query query) {
        Set<EventQuery> out = Collections.newSetFromMap(new IdentityHashMap<>());
        if (query.body() instanceof EventQuery event) {
            out.add(event);
        } else if (query.body() instanceof SequenceQuery sequence) {
            for (SequenceStage stage : sequence.stages()) {
                if (!stage.missing()) {
                    out.add(stage.event());
                }
            }
        } else if (query.body() instanceof SampleQuery sample) {
            sample.stages().forEach(stage -> out.add(stage.event()));
        }
        return out;
    }

    @Override
    public boolean matches(EventQuery query, Event event) {
        if (!inner.matches(query, event)) {
            return false;
        }
        return !positive.contains(query) || !exceptions.excepts(event);
    }

    @Override
    public List<Object> joinValues(Expr key, Event event) {
        return inner.joinValues(key, event);
    }
}
