package io.eqlwatch.rule;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kibana's short duration notation: a whole number and one of {@code s m h d} ({@code 5m},
 * {@code 30s}). Elastic's rules write intervals and look-backs this way.
 */
public final class DurationText {

    private static final Pattern SHAPE = Pattern.compile("(\\d+)([smhd])");

    private DurationText() {}

    /** Parses {@code 5m}; throws {@link IllegalArgumentException} with the accepted shape otherwise. */
    public static Duration parse(String text) {
        Matcher matcher = text == null ? null : SHAPE.matcher(text.trim());
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration: expected a whole number and a unit s, m, h or d, like 5m");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration =
                switch (matcher.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
        if (duration.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is zero: a duration must be positive");
        }
        return duration;
    }

    /** Writes a duration in the largest unit that divides it exactly: 300s → {@code 5m}. */
    public static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
