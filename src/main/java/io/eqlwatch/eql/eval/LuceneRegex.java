package io.eqlwatch.eql.eval;

import io.eqlwatch.event.CaseFolding;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Elasticsearch runs EQL's {@code regex} as a Lucene {@code regexp} query (all syntax flags on),
 * which always matches the whole value and has its own syntax. This translates that syntax into a
 * {@link Pattern} once, when a query is compiled: {@code . ? * + {n,m} | ( ) [...]}, {@code \}
 * escapes (and {@code \d \w \s} with their negations), {@code "literal"}, {@code @} (any string),
 * {@code #} (the empty language) and {@code <n-m>} (a numeric interval). Lucene's complement
 * {@code ~} and intersection {@code &} have no {@code java.util.regex} equivalent and are rejected.
 */
public final class LuceneRegex {

    private final String source;
    /** {@code null} for a case-sensitive match. */
    private final CaseFolding folding;

    private int pos;
    private final StringBuilder out = new StringBuilder();

    private LuceneRegex(String source, CaseFolding folding) {
        this.source = source;
        this.folding = folding;
    }

    /**
     * Compiles a Lucene regular expression, case-insensitive ASCII folding as Elasticsearch 8 does.
     *
     * @throws IllegalArgumentException when it is malformed or uses an unsupported operator
     */
    public static Pattern compile(String lucene, boolean caseInsensitive) {
        return compile(lucene, caseInsensitive ? CaseFolding.ASCII : null);
    }

    /**
     * Compiles a Lucene regular expression.
     *
     * @param folding how a case-insensitive match folds case; {@code null} for a case-sensitive one
     * @throws IllegalArgumentException when it is malformed or uses an unsupported operator
     */
    public static Pattern compile(String lucene, CaseFolding folding) {
        LuceneRegex translator = new LuceneRegex(lucene, folding);
        translator.translate();
        try {
            // Case is folded here, character by character, never by Pattern.CASE_INSENSITIVE: see caseless().
            return Pattern.compile(translator.out.toString(), Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription(), e);
        }
    }

    private void translate() {
        java.util.ArrayDeque<Integer> groupStarts = new java.util.ArrayDeque<>();
        int atomStart = -1;
        boolean afterQuantifier = false;
        while (pos < source.length()) {
            char c = source.charAt(pos++);
            int before = out.length();
            boolean quantifier = false;
            switch (c) {
                case '\\' -> escape();
                case '.' -> out.append('.');
                case '?', '*', '+', '{' -> {
                    if (atomStart < 0) {
                        throw new IllegalArgumentException("nothing to repeat at position " + (pos - 1));
                    }
                    if (afterQuantifier) {
                        // Lucene reads a*+ as (a*)+; java.util.regex would read a possessive or lazy quantifier
                        out.insert(atomStart, "(?:").append(')');
                    }
                    if (c == '{') {
                        repetition();
                    } else {
                        out.append(c);
                    }
                    quantifier = true;
                }
                case '|' -> {
                    out.append('|');
                    atomStart = -1;
                    afterQuantifier = false;
                    continue;
                }
                case '(' -> {
                    groupStarts.push(out.length());
                    out.append("(?:");
                    atomStart = -1;
                    afterQuantifier = false;
                    continue;
                }
                case ')' -> {
                    if (groupStarts.isEmpty()) {
                        throw new IllegalArgumentException("unbalanced ')' at position " + (pos - 1));
                    }
                    out.append(')');
                    before = groupStarts.pop();
                }
                case '[' -> characterClass();
                case '"' -> {
                    out.append("(?:");
                    quoted();
                    out.append(')');
                }
                case '@' -> out.append("(?:.*)");
                case '#' -> out.append("(?!)");
                case '<' -> interval();
                case '~' -> throw new IllegalArgumentException("the complement operator '~' is not supported");
                case '&' -> throw new IllegalArgumentException("the intersection operator '&' is not supported");
                default -> caseless(c, false);
            }
            if (!quantifier) {
                atomStart = before;
            }
            afterQuantifier = quantifier;
        }
        if (!groupStarts.isEmpty()) {
            throw new IllegalArgumentException("unbalanced '('");
        }
    }

    /**
     * One character of the pattern under a case-insensitive match: it stands for each of its {@link CaseFolding}
     * variants, wherever a single character may stand, in a class too, while every range of a class keeps its case
     * (Lucene folds ranges only under a flag Elasticsearch does not pass). So {@code regex~ "[abc]"} matches "B" but
     * {@code regex~ "[a-c]"} does not.
     */
    private void caseless(int codePoint, boolean inClass) {
        int[] variants = folding == null ? new int[] {codePoint} : folding.variants(codePoint);
        if (variants.length == 1) {
            literal(codePoint);
            return;
        }
        if (!inClass) {
            out.append('[');
        }
        for (int variant : variants) {
            literal(variant);
        }
        if (!inClass) {
            out.append(']');
        }
    }

    private void literal(int codePoint) {
        if ((codePoint >= 'a' && codePoint <= 'z')
                || (codePoint >= 'A' && codePoint <= 'Z')
                || (codePoint >= '0' && codePoint <= '9')) {
            out.append((char) codePoint);
        } else {
            out.append("\\x{").append(Integer.toHexString(codePoint)).append('}');
        }
    }

    /** After a backslash: a predefined class is appended as it is; an escaped character is returned, unwritten. */
    private int escaped() {
        if (pos >= source.length()) {
            throw new IllegalArgumentException("the pattern ends in a backslash");
        }
        char c = source.charAt(pos++);
        switch (c) {
            case 'd', 'D', 's', 'S', 'w', 'W' -> {
                out.append('\\').append(c);
                return -1;
            }
            default -> {
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                    // Lucene keeps the other escaped ASCII letters for classes it may add, and refuses them.
                    throw new IllegalArgumentException("invalid character class \\" + c + " at position " + (pos - 2));
                }
                return c;
            }
        }
    }

    private void escape() {
        int c = escaped();
        if (c >= 0) {
            caseless(c, false);
        }
    }

    private void repetition() {
        int close = source.indexOf('}', pos);
        if (close < 0) {
            throw new IllegalArgumentException("unclosed '{' at position " + (pos - 1));
        }
        String body = source.substring(pos, close);
        if (!body.matches("\\d+(,\\d*)?")) {
            throw new IllegalArgumentException("bad repetition {" + body + "}");
        }
        out.append('{').append(body).append('}');
        pos = close + 1;
    }

    private void characterClass() {
        out.append('[');
        if (pos < source.length() && source.charAt(pos) == '^') {
            out.append('^');
            pos++;
        }
        boolean empty = true;
        while (true) {
            if (pos >= source.length()) {
                throw new IllegalArgumentException("unclosed '['");
            }
            char c = source.charAt(pos++);
            if (c == ']' && !empty) {
                break;
            }
            empty = false;
            int from = c == '\\' ? escaped() : c;
            if (from < 0) {
                continue;
            }
            if (pos + 1 < source.length() && source.charAt(pos) == '-' && source.charAt(pos + 1) != ']') {
                pos++;
                char t = source.charAt(pos++);
                int to = t == '\\' ? escaped() : t;
                if (to < 0) {
                    throw new IllegalArgumentException("a range cannot end in a predefined class");
                }
                literal(from);
                out.append('-');
                literal(to);
            } else {
                caseless(from, true);
            }
        }
        out.append(']');
    }

    private void quoted() {
        int close = source.indexOf('"', pos);
        if (close < 0) {
            throw new IllegalArgumentException("unclosed '\"'");
        }
        source.substring(pos, close).codePoints().forEach(c -> caseless(c, false));
        pos = close + 1;
    }

    private void interval() {
        int close = source.indexOf('>', pos);
        String body = close < 0 ? "" : source.substring(pos, close);
        if (!body.matches("\\d+-\\d+")) {
            throw new IllegalArgumentException("bad numeric interval <" + body + ">");
        }
        long from = Long.parseLong(body.substring(0, body.indexOf('-')));
        long to = Long.parseLong(body.substring(body.indexOf('-') + 1));
        if (from > to) {
            long swap = from;
            from = to;
            to = swap;
        }
        if (to - from > 10_000) {
            throw new IllegalArgumentException("numeric interval <" + body + "> is too wide");
        }
        // Lucene matches the numbers with any leading zeros; spell the interval out.
        out.append("(?:0*(?:");
        for (long n = from; n <= to; n++) {
            if (n > from) {
                out.append('|');
            }
            out.append(n);
        }
        out.append("))");
        pos = close + 1;
    }
}
