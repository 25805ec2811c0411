package io.eqlwatch.tuning;

/** Whether an exception entry holds when its condition is true ({@code included}) or false ({@code excluded}). */
public enum Operator {
    INCLUDED,
    EXCLUDED;

    /** Kibana's spelling, {@code included} or {@code excluded}; {@code null} when neither. */
    public static Operator parse(String text) {
        if ("included".equals(text)) {
            return INCLUDED;
        }
        if ("excluded".equals(text)) {
            return EXCLUDED;
        }
        return null;
    }

    public String text() {
        return this == INCLUDED ? "included" : "excluded";
    }
}
