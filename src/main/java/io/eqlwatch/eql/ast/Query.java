package io.eqlwatch.eql.ast;

import java.util.List;

/** A whole EQL query: an event query, a sequence or a sample, followed by zero or more pipes. */
public record Query(QueryBody body, List<Pipe> pipes) {
    public Query {
        pipes = List.copyOf(pipes);
    }
}
