package io.eqlwatch.eql.parser;

/**
 * One token of a query.
 *
 * @param type   its kind
 * @param text   the exact source text it spans
 * @param value  the decoded value: the unescaped string for {@link TokenType#STRING}, the name for
 *               identifiers (backquotes removed), a {@code Long} or {@code Double} for numbers; else
 *               the text
 * @param line   1-based line of its first character
 * @param column 1-based column of its first character
 * @param offset 0-based character offset of its first character
 */
public record Token(TokenType type, String text, Object value, int line, int column, int offset) {

    /** How an error message shows this token when it was found where something else was expected. */
    public String describe() {
        if (type == TokenType.EOF) {
            return "end of query";
        }
        String shown = text.length() > 40 ? text.substring(0, 37) + "..." : text;
        return "'" + shown.replace("\n", "\\n").replace("\r", "\\r") + "'";
    }
}
