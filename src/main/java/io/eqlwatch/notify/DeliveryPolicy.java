package io.eqlwatch.notify;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard the dispatcher tries. A failed delivery is retried after {@code initialBackoff}, doubling
 * up to {@code maxBackoff}, until the notification is older than {@code giveUpAfter}; then it is
 * marked failed with the last reason. The defaults ride out a receiver that is down for an hour.
 *
 * @param requestTimeout how long one HTTP request or SMTP conversation may take
 * @param poll           how often the daemon looks for notifications to send besides after each execution
 * @param abandonAfter   how long a notification may wait for its alert to be written (a run that
 *                       hit {@code max_signals} writes it in a later run) before it is given up
 */
public record DeliveryPolicy(
        Duration initialBackoff,
        Duration maxBackoff,
        Duration giveUpAfter,
        Duration requestTimeout,
        Duration poll,
        Duration abandonAfter) {

    public static final DeliveryPolicy DEFAULT = new DeliveryPolicy(
            Duration.ofSeconds(30),
            Duration.ofMinutes(5),
            Duration.ofHours(2),
            Duration.ofSeconds(15),
            Duration.ofSeconds(15),
            Duration.ofHours(24));

    public DeliveryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(poll, "poll");
        Objects.requireNonNull(abandonAfter, "abandonAfter");
    }

    /** The wait before the next try after {@code attempts} failed ones. */
    public Duration backoff(int attempts) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
