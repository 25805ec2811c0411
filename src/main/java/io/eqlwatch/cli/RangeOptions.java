package io.eqlwatch.cli;

import io.eqlwatch.rule.DurationText;
import io.eqlwatch.schedule.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The past range a {@code backfill} or {@code preview} covers, and how much of it one window reads. */
public final class RangeOptions {

    @Option(
            names = "--from",
            required = true,
            description = "Start of the range: ISO-8601, epoch ms, or now-<duration>.")
    String from;

    @Option(names = "--to", defaultValue = "now", description = "End of the range (default: now).")
    String to;

    @Option(
            names = "--window",
            defaultValue = "1h",
            description = "Event time one window reads (at least the rule's look-back; default ${DEFAULT-VALUE}).")
    String window;

    TimeWindow range(Instant now) {
        Instant start = TimeArgument.parse("--from", from, now);
        Instant end = TimeArgument.parse("--to", to, now);
        if (!end.isAfter(start)) {
            throw new UserFacingException("--to (" + end + ") must be after --from (" + start + ")");
        }
        return new TimeWindow(start, end);
    }

    Duration windowSize() {
        try {
            return DurationText.parse(window);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("--window: " + e.getMessage());
        }
    }
}
