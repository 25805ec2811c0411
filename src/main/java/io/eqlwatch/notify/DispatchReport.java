package io.eqlwatch.notify;

/**
 * What one dispatch round did, counted in notifications (a summary message settles several).
 *
 * @param waiting notifications left for later: in backoff, held for a digest, or whose alert is not written yet
 */
public record DispatchReport(
        int messages, int sent, int retrying, int failed, int throttled, int abandoned, int waiting) {

    public boolean idle() {
        return messages == 0 && retrying == 0 && failed == 0 && throttled == 0 && abandoned == 0;
    }

    public String line() {
        return String.format(
                "notifications: %d message(s) sent for %d alert notification(s), %d to retry, %d failed,"
                        + " %d throttled, %d abandoned, %d waiting",
                messages, sent, retrying, failed, throttled, abandoned, waiting);
    }
}
