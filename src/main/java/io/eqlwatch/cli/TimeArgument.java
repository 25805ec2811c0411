package io.eqlwatch.cli;

import io.eqlwatch.event.TimestampParser;
import io.eqlwatch.rule.DurationText;
import java.time.Instant;

/** A time on the command line: {@code now}, {@code now-9m} (s, m, h, d), an ISO-8601 time, or epoch milliseconds. */
final class TimeArgument {

    private TimeArgument() {}

    static Instant parse(String option, String text, Instant now) {
        String value = text.trim();
        if (value.equals("now")) {
            return now;
        }
        if (value.startsWith("now-")) {
            try {
                return now.minus(DurationText.parse(value.substring(4)));
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(option + " '" + text + "': " + e.getMessage());
            }
        }
        return TimestampParser.parse(value)
                .orElseThrow(() -> new UserFacingException(option + " '" + text
                        + "' is not a time: use now, now-9m (s, m, h, d), an ISO-8601 time such as 2026-11-28T12:00:00Z,"
                        + " or epoch milliseconds"));
    }
}
