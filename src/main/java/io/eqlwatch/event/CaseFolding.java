package io.eqlwatch.event;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Which characters a case-insensitive match lets a single character of a pattern stand for, as the cluster's
 * Lucene does it. Elasticsearch's own {@code term}, {@code prefix} and {@code wildcard} queries with
 * {@code case_insensitive} fold ASCII letters only (seen on 8.19 and 9.5). It has used two rules for {@code regexp}
 * with {@code case_insensitive}: Lucene's
 * {@code ASCII_CASE_INSENSITIVE} folded ASCII letters only until Lucene 10.2 (Elasticsearch 9.1), which made that
 * flag fold Unicode case as {@code java.util.regex.Pattern} does with {@code CASE_INSENSITIVE | UNICODE_CASE}. Under
 * both, ranges of a character class keep their case.
 */
public enum CaseFolding {
    /** An ASCII letter stands for itself in either case; every other character only for itself. */
    ASCII,
    /** A character stands for every character that has its upper case's lower case ({@code s} for {@code ſ}). */
    UNICODE;

    /** The characters {@code codePoint} stands for, itself first. */
    public int[] variants(int codePoint) {
        if (this == ASCII) {
            if (codePoint >= 'a' && codePoint <= 'z') {
                return new int[] {codePoint, codePoint - ('a' - 'A')};
            }
            if (codePoint >= 'A' && codePoint <= 'Z') {
                return new int[] {codePoint, codePoint + ('a' - 'A')};
            }
            return new int[] {codePoint};
        }
        int[] group = UnicodeGroups.BY_KEY.get(key(codePoint));
        if (group == null) {
            return new int[] {codePoint};
        }
        int[] variants = new int[group.length];
        variants[0] = codePoint;
        int next = 1;
        for (int other : group) {
            if (other != codePoint) {
                variants[next++] = other;
            }
        }
        return variants;
    }

    /** Whether two characters match under this folding. */
    public boolean same(char a, char b) {
        if (a == b) {
            return true;
        }
        if (this == ASCII) {
            char lower = (char) (a | 0x20);
            return (a ^ b) == 0x20 && lower >= 'a' && lower <= 'z';
        }
        return key(a) == key(b);
    }

    /** {@link String#regionMatches(boolean, int, String, int, int)}, ignoring case as this folding does. */
    public boolean regionMatches(String value, int offset, String other, int otherOffset, int length) {
        if (offset < 0
                || otherOffset < 0
                || offset > value.length() - length
                || otherOffset > other.length() - length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (!same(value.charAt(offset + i), other.charAt(otherOffset + i))) {
                return false;
            }
        }
        return true;
    }

    /** The value with every character replaced by one all its variants share, for lookups in a set. */
    public String fold(String value) {
        StringBuilder folded = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            char f = this == ASCII ? (c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) : (char) key(c);
            if (f != c && folded == null) {
                folded = new StringBuilder(value.length()).append(value, 0, i);
            }
            if (folded != null) {
                folded.append(f);
            }
        }
        return folded == null ? value : folded.toString();
    }

    private static int key(int codePoint) {
        return Character.toLowerCase(Character.toUpperCase(codePoint));
    }

    /** Code points grouped by {@link #key}, the groups of more than one only; built on first use (about 20 ms). */
    private static final class UnicodeGroups {
        static final Map<Integer, int[]> BY_KEY = build();

        private static Map<Integer, int[]> build() {
            Map<Integer, int[]> groups = new HashMap<>();
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
                int key = key(cp);
                if (key != cp) {
                    int[] group = groups.get(key);
                    // The key itself belongs to its group even when it has no other case (ß for ẞ).
                    groups.put(key, append(group == null ? new int[] {key} : group, cp));
                }
            }
            return Map.copyOf(groups);
        }

        private static int[] append(int[] group, int cp) {
            int[] longer = Arrays.copyOf(group, group.length + 1);
            longer[group.length] = cp;
            return longer;
        }
    }
}
