package io.eqlwatch.engine;

import java.math.BigDecimal;

/** Compares tiebreaker values; a missing tiebreaker sorts after any present one, as in Elasticsearch. */
final class Tiebreakers {

    private Tiebreakers() {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Comparable<?> left, Comparable<?> right) {
        if (left == null || right == null) {
            return left == null ? (right == null ? 0 : 1) : -1;
        }
        if (left instanceof Number l && right instanceof Number r) {
            return new BigDecimal(l.toString()).compareTo(new BigDecimal(r.toString()));
        }
        if (left.getClass() == right.getClass()) {
            return ((Comparable) left).compareTo(right);
        }
        // Mixed types cannot come out of one mapped field; compare their text so the order is at least total.
        return left.toString().compareTo(right.toString());
    }
}
