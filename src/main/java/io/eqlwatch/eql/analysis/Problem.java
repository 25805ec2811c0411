package io.eqlwatch.eql.analysis;

/**
 * One thing wrong with a query that Elasticsearch's EQL would refuse it for, with where it is.
 *
 * @param line    1-based line in the query text; 0 when the query has no positions (built by hand)
 * @param column  1-based column in that line; 0 likewise
 * @param message what is wrong, in Elasticsearch's words where it has them ("Unknown column [x]")
 */
public record Problem(int line, int column, String message) {

    @Override
    public String toString() {
        return line > 0 ? "line " + line + ":" + column + ": " + message : message;
    }
}
