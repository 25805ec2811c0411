package io.eqlwatch.eql.parser;

import java.util.Map;

/** The kinds of token in Elasticsearch EQL. Keywords are lower-case only, as in Elasticsearch. */
public enum TokenType {
    // literals and names
    IDENTIFIER("identifier"),
    /** An identifier immediately followed by {@code ~}, as in {@code endsWith~}. */
    TILDE_IDENTIFIER("case-insensitive function name"),
    ESCAPED_IDENTIFIER("`quoted name`"),
    STRING("string"),
    INTEGER("integer"),
    DECIMAL("number"),

    // keywords
    AND("'and'"),
    ANY("'any'"),
    BY("'by'"),
    FALSE("'false'"),
    IN("'in'"),
    IN_INSENSITIVE("'in~'"),
    LIKE("'like'"),
    LIKE_INSENSITIVE("'like~'"),
    MAXSPAN("'maxspan'"),
    NOT("'not'"),
    NULL("'null'"),
    OR("'or'"),
    REGEX("'regex'"),
    REGEX_INSENSITIVE("'regex~'"),
    SAMPLE("'sample'"),
    SEQUENCE("'sequence'"),
    TRUE("'true'"),
    UNTIL("'until'"),
    WHERE("'where'"),
    WITH("'with'"),

    // operators and punctuation
    SEQ("':'"),
    ASSIGN("'='"),
    EQ("'=='"),
    NEQ("'!='"),
    LT("'<'"),
    LTE("'<='"),
    GT("'>'"),
    GTE("'>='"),
    PLUS("'+'"),
    MINUS("'-'"),
    ASTERISK("'*'"),
    SLASH("'/'"),
    PERCENT("'%'"),
    DOT("'.'"),
    COMMA("','"),
    LB("'['"),
    MISSING_EVENT_OPEN("'!['"),
    RB("']'"),
    LP("'('"),
    RP("')'"),
    PIPE("'|'"),
    OPTIONAL("'?'"),

    EOF("end of query");

    private static final Map<String, TokenType> KEYWORDS = Map.ofEntries(
            Map.entry("and", AND),
            Map.entry("any", ANY),
            Map.entry("by", BY),
            Map.entry("false", FALSE),
            Map.entry("in", IN),
            Map.entry("like", LIKE),
            Map.entry("maxspan", MAXSPAN),
            Map.entry("not", NOT),
            Map.entry("null", NULL),
            Map.entry("or", OR),
            Map.entry("regex", REGEX),
            Map.entry("sample", SAMPLE),
            Map.entry("sequence", SEQUENCE),
            Map.entry("true", TRUE),
            Map.entry("until", UNTIL),
            Map.entry("where", WHERE),
            Map.entry("with", WITH));

    private static final Map<String, TokenType> TILDE_KEYWORDS =
            Map.of("in", IN_INSENSITIVE, "like", LIKE_INSENSITIVE, "regex", REGEX_INSENSITIVE);

    private final String description;

    TokenType(String description) {
        this.description = description;
    }

    /** How an error message names this kind of token when it is what was expected. */
    public String description() {
        return description;
    }

    /** The keyword spelled by {@code word}, or {@code null} when it is an ordinary identifier. */
    static TokenType keyword(String word) {
        return KEYWORDS.get(word);
    }

    /** {@code in~}, {@code like~}, {@code regex~} for {@code in}, {@code like}, {@code regex}; else null. */
    static TokenType tildeKeyword(String word) {
        return TILDE_KEYWORDS.get(word);
    }
}
