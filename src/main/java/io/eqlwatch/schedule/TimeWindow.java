package io.eqlwatch.schedule;

import java.time.Duration;
import java.time.Instant;

/** A half-open range of event time a run reads: {@code [start, end]} inclusive of both ends, as Kibana's range query. */
public record TimeWindow(Instant start, Instant end) {

    public TimeWindow {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("window end " + end + " is before its start " + start);
        }
    }

    public Duration length() {
        return Duration.between(start, end);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + "]";
    }
}
