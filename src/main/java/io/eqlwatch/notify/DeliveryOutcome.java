package io.eqlwatch.notify;

/**
 * How one delivery went.
 *
 * @param retryable whether trying again later can help (a 5xx, a timeout, a refused connection),
 *                  as opposed to a refusal that will not change (a 400, a bad address)
 * @param detail    for the status and the log; never holds a secret (see {@link Redaction})
 */
public record DeliveryOutcome(boolean delivered, boolean retryable, String detail) {

    public static DeliveryOutcome ok(String detail) {
        return new DeliveryOutcome(true, false, detail);
    }

    public static DeliveryOutcome retry(String detail) {
        return new DeliveryOutcome(false, true, detail);
    }

    public static DeliveryOutcome refused(String detail) {
        return new DeliveryOutcome(false, false, detail);
    }
}
