package io.eqlwatch.eql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an EQL query into tokens, following Elasticsearch's lexer: whitespace is space, tab, CR and
 * LF; comments are {@code //...} to the end of the line and {@code /* ... *&#47;} (which nest);
 * strings are {@code "..."} with backslash escapes or {@code """raw"""}; single-quoted and
 * {@code ?"..."} strings are rejected with the message Elasticsearch gives.
 */
public final class Lexer {

    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String text) {
        this.text = text;
    }

    /** All tokens of the query, ending with one {@link TokenType#EOF}. */
    public static List<Token> tokenize(String query) {
        return new Lexer(query).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipWhitespaceAndComments();
            if (pos >= text.length()) {
                tokens.add(new Token(TokenType.EOF, "", "", line, column(pos), pos));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private int column(int offset) {
        return offset - lineStart + 1;
    }

    private char peek(int ahead) {
        int at = pos + ahead;
        return at < text.length() ? text.charAt(at) : '\0';
    }

    /** Advances over one character, keeping line and column right. */
    private void advance() {
        char c = text.charAt(pos++);
        if (c == '\n') {
            line++;
            lineStart = pos;
        }
    }

    private EqlSyntaxException error(int atLine, int atColumn, String message) {
        return new EqlSyntaxException(atLine, atColumn, message);
    }

    private void skipWhitespaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                advance();
            } else if (c == '/' && peek(1) == '/') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    advance();
                }
            } else if (c == '/' && peek(1) == '*') {
                skipBlockComment();
            } else {
                return;
            }
        }
    }

    private void skipBlockComment() {
        int startLine = line;
        int startColumn = column(pos);
        int depth = 0;
        do {
            if (pos >= text.length()) {
                throw error(startLine, startColumn, "unterminated comment: '/*' has no closing '*/'");
            }
            if (text.charAt(pos) == '/' && peek(1) == '*') {
                depth++;
                advance();
                advance();
            } else if (text.charAt(pos) == '*' && peek(1) == '/') {
                depth--;
                advance();
                advance();
            } else {
                advance();
            }
        } while (depth > 0);
    }

    private Token next() {
        int start = pos;
        int startLine = line;
        int startColumn = column(pos);
        char c = text.charAt(pos);

        if (isLetter(c) || c == '_' || c == '@') {
            return identifier(start, startLine, startColumn);
        }
        if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
            return number(start, startLine, startColumn);
        }
        switch (c) {
            case '"':
                return text.startsWith("\"\"\"", pos)
                        ? rawString(start, startLine, startColumn)
                        : string(start, startLine, startColumn);
            case '\'':
                throw error(
                        startLine,
                        startColumn,
                        "use double quotes [\"] to define string literals, not single quotes [']");
            case '`':
                return escapedIdentifier(start, startLine, startColumn);
            case '?':
                if (peek(1) == '"' || peek(1) == '\'') {
                    throw error(
                            startLine,
                            startColumn,
                            "use triple double quotes [\"\"\"] to define unescaped" + " string literals, not [?"
                                    + peek(1) + "]");
                }
                return symbol(TokenType.OPTIONAL, 1, startLine, startColumn);
            case '=':
                return peek(1) == '='
                        ? symbol(TokenType.EQ, 2, startLine, startColumn)
                        : symbol(TokenType.ASSIGN, 1, startLine, startColumn);
            case '!':
                if (peek(1) == '=') {
                    return symbol(TokenType.NEQ, 2, startLine, startColumn);
                }
                if (peek(1) == '[') {
                    return symbol(TokenType.MISSING_EVENT_OPEN, 2, startLine, startColumn);
                }
                throw error(startLine, startColumn, "unexpected character '!'; did you mean '!=' or 'not'?");
            case '<':
                return peek(1) == '='
                        ? symbol(TokenType.LTE, 2, startLine, startColumn)
                        : symbol(TokenType.LT, 1, startLine, startColumn);
            case '>':
                return peek(1) == '='
                        ? symbol(TokenType.GTE, 2, startLine, startColumn)
                        : symbol(TokenType.GT, 1, startLine, startColumn);
            case ':':
                return symbol(TokenType.SEQ, 1, startLine, startColumn);
            case '+':
                return symbol(TokenType.PLUS, 1, startLine, startColumn);
            case '-':
                return symbol(TokenType.MINUS, 1, startLine, startColumn);
            case '*':
                return symbol(TokenType.ASTERISK, 1, startLine, startColumn);
            case '/':
                return symbol(TokenType.SLASH, 1, startLine, startColumn);
            case '%':
                return symbol(TokenType.PERCENT, 1, startLine, startColumn);
            case '.':
                return symbol(TokenType.DOT, 1, startLine, startColumn);
            case ',':
                return symbol(TokenType.COMMA, 1, startLine, startColumn);
            case '[':
                return symbol(TokenType.LB, 1, startLine, startColumn);
            case ']':
                return symbol(TokenType.RB, 1, startLine, startColumn);
            case '(':
                return symbol(TokenType.LP, 1, startLine, startColumn);
            case ')':
                return symbol(TokenType.RP, 1, startLine, startColumn);
            case '|':
                return symbol(TokenType.PIPE, 1, startLine, startColumn);
            default:
                throw error(startLine, startColumn, "unexpected character " + describeChar(c));
        }
    }

    private static String describeChar(char c) {
        if (c < 0x20 || c > 0x7e) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private Token symbol(TokenType type, int length, int startLine, int startColumn) {
        int start = pos;
        for (int i = 0; i < length; i++) {
            advance();
        }
        String spelled = text.substring(start, pos);
        return new Token(type, spelled, spelled, startLine, startColumn, start);
    }

    private Token identifier(int start, int startLine, int startColumn) {
        advance();
        while (pos < text.length() && (isLetter(peek(0)) || isDigit(peek(0)) || peek(0) == '_')) {
            advance();
        }
        String word = text.substring(start, pos);
        if (peek(0) == '~') {
            advance();
            TokenType tilde = TokenType.tildeKeyword(word);
            return new Token(
                    tilde != null ? tilde : TokenType.TILDE_IDENTIFIER,
                    word + "~",
                    word,
                    startLine,
                    startColumn,
                    start);
        }
        TokenType keyword = TokenType.keyword(word);
        return new Token(keyword != null ? keyword : TokenType.IDENTIFIER, word, word, startLine, startColumn, start);
    }

    private Token escapedIdentifier(int start, int startLine, int startColumn) {
        advance();
        StringBuilder name = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error(startLine, startColumn, "unterminated quoted name: '`' has no closing '`'");
            }
            char c = text.charAt(pos);
            if (c == '`') {
                if (peek(1) == '`') {
                    name.append('`');
                    advance();
                    advance();
                    continue;
                }
                advance();
                break;
            }
            name.append(c);
            advance();
        }
        if (name.length() == 0) {
            throw error(startLine, startColumn, "empty quoted name ``");
        }
        return new Token(
                TokenType.ESCAPED_IDENTIFIER,
                text.substring(start, pos),
                name.toString(),
                startLine,
                startColumn,
                start);
    }

    private Token number(int start, int startLine, int startColumn) {
        boolean decimal = false;
        while (isDigit(peek(0))) {
            advance();
        }
        if (peek(0) == '.') {
            // "1.5", "1." and ".5" are decimals (as in Elasticsearch's DECIMAL_VALUE)
            decimal = true;
            advance();
            while (isDigit(peek(0))) {
                advance();
            }
        }
        if ((peek(0) == 'e' || peek(0) == 'E')
                && (isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
            decimal = true;
            advance();
            if (peek(0) == '+' || peek(0) == '-') {
                advance();
            }
            while (isDigit(peek(0))) {
                advance();
            }
        }
        String spelled = text.substring(start, pos);
        Object value;
        if (decimal) {
            double d = Double.parseDouble(spelled);
            if (Double.isInfinite(d)) {
                throw error(startLine, startColumn, "number [" + spelled + "] is too large");
            }
            value = d;
        } else {
            try {
                value = Long.parseLong(spelled);
            } catch (NumberFormatException e) {
                throw error(startLine, startColumn, "number [" + spelled + "] is too large");
            }
        }
        return new Token(
                decimal ? TokenType.DECIMAL : TokenType.INTEGER, spelled, value, startLine, startColumn, start);
    }

    private Token rawString(int start, int startLine, int startColumn) {
        advance();
        advance();
        advance();
        int contentStart = pos;
        int end = text.indexOf("\"\"\"", pos);
        int lineEnd = pos;
        while (lineEnd < text.length() && text.charAt(lineEnd) != '\n' && text.charAt(lineEnd) != '\r') {
            lineEnd++;
        }
        // As in Elasticsearch's lexer, a raw string ends on the line it starts on.
        if (end < 0 || end > lineEnd) {
            throw error(
                    startLine, startColumn, "unterminated raw string: '\"\"\"' has no closing '\"\"\"' on its line");
        }
        // Like Elasticsearch, up to two quotes right before the closing """ belong to the content:
        // """a""""" is the string a"".
        int close = end;
        while (close + 3 < text.length() && text.charAt(close + 3) == '"' && close - end < 2) {
            close++;
        }
        while (pos < close + 3) {
            advance();
        }
        String content = text.substring(contentStart, close);
        return new Token(TokenType.STRING, text.substring(start, pos), content, startLine, startColumn, start);
    }

    private Token string(int start, int startLine, int startColumn) {
        advance();
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length() || peek(0) == '\n' || peek(0) == '\r') {
                throw error(startLine, startColumn, "unterminated string: '\"' has no closing '\"' on its line");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                advance();
                break;
            }
            if (c == '\\') {
                escape(value);
                continue;
            }
            value.append(c);
            advance();
        }
        return new Token(TokenType.STRING, text.substring(start, pos), value.toString(), startLine, startColumn, start);
    }

    /** Decodes the escape sequence at {@code pos} (a backslash) into {@code out}. */
    private void escape(StringBuilder out) {
        int escLine = line;
        int escColumn = column(pos);
        advance();
        if (pos >= text.length()) {
            throw error(escLine, escColumn, "unterminated string: it ends in a backslash");
        }
        char c = text.charAt(pos);
        switch (c) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
                // Documented as unsupported, yet Elasticsearch's lexer accepts it and deployed rules use it.
            case '\'' -> out.append('\'');
            case 'u' -> {
                unicodeEscape(out, escLine, escColumn);
                return;
            }
            default -> throw error(
                    escLine,
                    escColumn,
                    "unknown escape sequence [\\" + c + "]; supported are"
                            + " \\n \\t \\r \\b \\f \\\" \\\\ and \\u{hex}; write a backslash as \\\\ or use a \"\"\"raw\"\"\" string");
        }
        advance();
    }

    private void unicodeEscape(StringBuilder out, int escLine, int escColumn) {
        advance(); // the 'u'
        if (peek(0) != '{') {
            throw error(escLine, escColumn, "a unicode escape is written \\u{XXXX} with 2 to 8 hex digits");
        }
        advance();
        int digitsStart = pos;
        while (isHexDigit(peek(0))) {
            advance();
        }
        int digits = pos - digitsStart;
        if (peek(0) != '}' || digits < 2 || digits > 8) {
            throw error(escLine, escColumn, "a unicode escape is written \\u{XXXX} with 2 to 8 hex digits");
        }
        long codePoint = Long.parseLong(text.substring(digitsStart, pos), 16);
        advance(); // the '}'
        if (codePoint > Character.MAX_CODE_POINT || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
            throw error(escLine, escColumn, "invalid unicode character code [" + Long.toHexString(codePoint) + "]");
        }
        out.appendCodePoint((int) codePoint);
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
