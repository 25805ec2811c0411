package io.eqlwatch.eql.ast;

/** A pipe after the query. Elasticsearch EQL supports only {@code head} and {@code tail}. */
public sealed interface Pipe permits Pipe.Head, Pipe.Tail {

    int count();

    /** {@code | head N}: the first N results. */
    record Head(int count) implements Pipe {}

    /** {@code | tail N}: the last N results. */
    record Tail(int count) implements Pipe {}
}
