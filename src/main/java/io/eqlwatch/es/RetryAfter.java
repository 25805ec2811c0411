package io.eqlwatch.es;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last {@code Retry-After} an Elasticsearch answer carried (on 429 or 503, usually from a proxy or a
 * hosted cluster's front end). The typed client turns error answers into exceptions without their headers, so
 * the HTTP client records the header here as the answer arrives and {@link RetryPolicy} reads it when it
 * plans the retry. Process-wide on purpose: a cluster that asks for a pause asks every caller, and in a
 * process talking to two clusters the worst case is a retry that waits longer than it had to.
 */
final class RetryAfter {

    private static final AtomicLong NOT_BEFORE_MILLIS = new AtomicLong();

    private RetryAfter() {}

    /** Records a header value: seconds, or an HTTP date. Unparseable values are ignored. */
    static void heard(String headerValue) {
        Duration wait = parse(headerValue, Instant.now());
        if (wait != null) {
            long until = System.currentTimeMillis() + wait.toMillis();
            NOT_BEFORE_MILLIS.accumulateAndGet(until, Math::max);
        }
    }

    /** How much of the last requested pause is left. */
    static Duration remaining() {
        return Duration.ofMillis(Math.max(0, NOT_BEFORE_MILLIS.get() - System.currentTimeMillis()));
    }

    /** Forgets a requested pause (for tests). */
    static void forget() {
        NOT_BEFORE_MILLIS.set(0);
    }

    static Duration parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
