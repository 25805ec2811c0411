package io.eqlwatch.eql.parser;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known name a misspelt one was probably meant to be, for "did you mean" hints in EQL
 * errors (function names) and rule-file errors (keys). Compares case-insensitively by edit distance.
 */
public final class NameSuggestion {

    private NameSuggestion() {}

    /** The closest known name within {@code maxDistance} edits, if any. */
    public static Optional<String> closest(String typed, Collection<String> known, int maxDistance) {
        String lower = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            // A name whose length differs by more than the limit is further away than the limit: with a
            // mapping of thousands of fields, most candidates end here.
            String other = candidate.toLowerCase(Locale.ROOT);
            if (Math.abs(other.length() - lower.length()) > maxDistance) {
                continue;
            }
            int distance = editDistance(lower, other);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= maxDistance ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
