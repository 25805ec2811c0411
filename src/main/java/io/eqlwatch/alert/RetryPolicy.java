package io.eqlwatch.alert;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a request is retried when Elasticsearch is briefly unable to serve
 * it (rejections under load, a node restarting, a dropped connection). The wait doubles from
 * {@code initialBackoff} up to {@code maxBackoff}.
 *
 * @param maxAttempts total attempts, the first included (1 = no retry)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
    }

    /** Six attempts over about half a minute: rides out a node restart, gives up before the next run. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(10));
    }

    /** The wait before attempt {@code attempt + 1}, {@code attempt} counting from 1. */
    Duration backoffAfter(int attempt) {
        long millis = initialBackoff.toMillis();
        for (int i = 1; i < attempt && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
