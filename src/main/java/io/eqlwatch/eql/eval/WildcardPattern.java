package io.eqlwatch.eql.eval;

import io.eqlwatch.event.CaseFolding;

/**
 * An EQL wildcard pattern ({@code :} and {@code like}): {@code *} is any run of characters,
 * {@code ?} exactly one, everything else literal, and the whole value must match. A backslash is
 * an ordinary character, so Windows paths such as {@code C:\Windows\*} mean what they say.
 * Compiled once per query; the common shapes (exact, prefix, suffix, infix) avoid the general
 * matcher, and case-insensitive matching folds case per character without copying the value.
 *
 * <p>Case folds as Elasticsearch's {@code term} and {@code wildcard} queries with {@code case_insensitive} fold it
 * ({@link #FOLDING}), since those are what EQL's {@code :}, {@code like~} and {@code in~} on a field become there.
 */
public final class WildcardPattern {

    /** How the term family of Elasticsearch's queries folds case: ASCII letters only. */
    public static final CaseFolding FOLDING = CaseFolding.ASCII;

    private enum Shape {
        EXACT,
        PREFIX,
        SUFFIX,
        INFIX,
        GENERAL
    }

    private final String pattern;
    private final boolean caseInsensitive;
    private final Shape shape;
    /** The literal part for EXACT/PREFIX/SUFFIX/INFIX. */
    private final String literal;

    private WildcardPattern(String pattern, boolean caseInsensitive) {
        this.pattern = pattern;
        this.caseInsensitive = caseInsensitive;
        int stars = 0;
        boolean question = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                stars++;
            } else if (c == '?') {
                question = true;
            }
        }
        int n = pattern.length();
        if (question) {
            shape = Shape.GENERAL;
            literal = null;
        } else if (stars == 0) {
            shape = Shape.EXACT;
            literal = pattern;
        } else if (stars == 1 && pattern.charAt(n - 1) == '*') {
            shape = Shape.PREFIX;
            literal = pattern.substring(0, n - 1);
        } else if (stars == 1 && pattern.charAt(0) == '*') {
            shape = Shape.SUFFIX;
            literal = pattern.substring(1);
        } else if (stars == 2 && n >= 2 && pattern.charAt(0) == '*' && pattern.charAt(n - 1) == '*') {
            shape = Shape.INFIX;
            literal = pattern.substring(1, n - 1);
        } else {
            shape = Shape.GENERAL;
            literal = null;
        }
    }

    public static WildcardPattern compile(String pattern, boolean caseInsensitive) {
        return new WildcardPattern(pattern, caseInsensitive);
    }

    /** Whether the pattern has any wildcard at all. */
    public boolean hasWildcards() {
        return shape != Shape.EXACT;
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String value) {
        return switch (shape) {
            case EXACT -> caseInsensitive
                    ? value.length() == literal.length()
                            && FOLDING.regionMatches(value, 0, literal, 0, literal.length())
                    : value.equals(literal);
            case PREFIX -> regionMatches(value, 0, literal, caseInsensitive);
            case SUFFIX -> regionMatches(value, value.length() - literal.length(), literal, caseInsensitive);
            case INFIX -> contains(value, literal, caseInsensitive);
            case GENERAL -> general(value);
        };
    }

    /** Whether {@code part} is at {@code offset} of {@code value}, folding case as {@link #FOLDING} does if asked. */
    static boolean regionMatches(String value, int offset, String part, boolean caseInsensitive) {
        return caseInsensitive
                ? FOLDING.regionMatches(value, offset, part, 0, part.length())
                : value.regionMatches(offset, part, 0, part.length());
    }

    static boolean contains(String value, String part, boolean caseInsensitive) {
        if (!caseInsensitive) {
            return value.contains(part);
        }
        int last = value.length() - part.length();
        for (int i = 0; i <= last; i++) {
            if (FOLDING.regionMatches(value, i, part, 0, part.length())) {
                return true;
            }
        }
        return false;
    }

    private boolean same(char a, char b) {
        if (a == b) {
            return true;
        }
        if (!caseInsensitive) {
            return false;
        }
        return FOLDING.same(a, b);
    }

    /** Greedy matching with backtracking to the last star: linear for patterns with one star per run. */
    private boolean general(String value) {
        int v = 0;
        int p = 0;
        int starP = -1;
        int starV = 0;
        int vn = value.length();
        int pn = pattern.length();
        while (v < vn) {
            if (p < pn) {
                char pc = pattern.charAt(p);
                if (pc == '*') {
                    starP = p++;
                    starV = v;
                    continue;
                }
                if (pc == '?' || same(pc, value.charAt(v))) {
                    p++;
                    v++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP + 1;
            v = ++starV;
        }
        while (p < pn && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pn;
    }
}
