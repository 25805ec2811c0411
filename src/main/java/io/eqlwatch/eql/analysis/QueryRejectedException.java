package io.eqlwatch.eql.analysis;

import java.util.List;

/** Elasticsearch would refuse the query against these mappings: the problems say where and why. */
public final class QueryRejectedException extends RuntimeException {

    private final List<Problem> problems;

    public QueryRejectedException(String what, List<Problem> problems) {
        super(what + ": "
                + String.join("; ", problems.stream().map(Problem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
