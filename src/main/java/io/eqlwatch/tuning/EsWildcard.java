package io.eqlwatch.tuning;

import java.util.regex.Pattern;

/**
 * Elasticsearch's {@code wildcard} query syntax evaluated in memory: {@code *} any run of characters,
 * {@code ?} one character, a backslash escapes the next character, the whole value must match, and
 * case counts (Kibana sends the query without {@code case_insensitive}).
 */
final class EsWildcard {

    private final Pattern pattern;

    private EsWildcard(Pattern pattern) {
        this.pattern = pattern;
    }

    static EsWildcard compile(String wildcard) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < wildcard.length(); i++) {
            char c = wildcard.charAt(i);
            if (c == '\\' && i + 1 < wildcard.length()) {
                literal.append(wildcard.charAt(++i));
            } else if (c == '*' || c == '?') {
                flush(literal, regex);
                regex.append(c == '*' ? "(?s:.*)" : "(?s:.)");
            } else {
                literal.append(c);
            }
        }
        flush(literal, regex);
        return new EsWildcard(Pattern.compile(regex.toString()));
    }

    private static void flush(StringBuilder literal, StringBuilder regex) {
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
        }
    }

    boolean matches(String value) {
        return pattern.matcher(value).matches();
    }
}
