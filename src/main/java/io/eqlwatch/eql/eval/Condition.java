package io.eqlwatch.eql.eval;

import io.eqlwatch.event.Event;

/**
 * A compiled boolean condition with Elasticsearch's query semantics: two-valued, because
 * Elasticsearch runs {@code and}/{@code or}/{@code not} as {@code bool} queries, in which a leaf
 * that cannot be decided (a missing field, a null result) simply does not match.
 */
@FunctionalInterface
public interface Condition {

    boolean test(Event event);
}
