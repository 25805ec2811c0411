package io.eqlwatch.eql.ast;

import java.util.List;
import java.util.Objects;

/**
 * A whole EQL query: an event query, a sequence or a sample, followed by zero or more pipes.
 *
 * @param positions where the parser found the query's nodes; not part of the query's value, so a parsed
 *                  query equals the same query built by hand
 */
public record Query(QueryBody body, List<Pipe> pipes, SourcePositions positions) {

    public Query {
        pipes = List.copyOf(pipes);
        positions = positions == null ? SourcePositions.NONE : positions;
    }

    public Query(QueryBody body, List<Pipe> pipes) {
        this(body, pipes, SourcePositions.NONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Query other && other.body.equals(body) && other.pipes.equals(pipes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(body, pipes);
    }

    @Override
    public String toString() {
        return "Query[body=" + body + ", pipes=" + pipes + "]";
    }
}
