package io.eqlwatch.eql.eval;

import io.eqlwatch.event.Event;

/**
 * A compiled value expression with Elasticsearch's script semantics: {@code null} propagates
 * through functions and arithmetic, and a field stands for its first doc value.
 */
@FunctionalInterface
public interface Scalar {

    /** The value on the event; {@code null} for null. A scalar without fields accepts a null event. */
    Object eval(Event event);
}
