package io.eqlwatch.eql.ast;

public enum MatchOperator {
    /** {@code :}, always case-insensitive, {@code *} and {@code ?} wildcards. */
    COLON,
    /** {@code like} / {@code like~}, {@code *} and {@code ?} wildcards. */
    LIKE,
    /** {@code regex} / {@code regex~}, Lucene regular expressions. */
    REGEX
}
