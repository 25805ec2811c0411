package io.eqlwatch.eql.parser;

/**
 * A query that Elasticsearch's EQL would reject: bad syntax, or a construct its parser or analyzer
 * refuses (an unknown function, a sequence with one stage, ...). Positions are 1-based and count
 * characters of the query text, so an editor can jump to them.
 */
public class EqlSyntaxException extends RuntimeException {

    private final int line;
    private final int column;
    private final String reason;

    public EqlSyntaxException(int line, int column, String reason) {
        super("line " + line + ":" + column + ": " + reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** 1-based line of the offending text in the query. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending text in its line. */
    public int column() {
        return column;
    }

    /** The message without the position prefix. */
    public String reason() {
        return reason;
    }
}
