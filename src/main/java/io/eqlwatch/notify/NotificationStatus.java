package io.eqlwatch.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code status} says about a rule's notifications: counts by state and why the latest failed. */
public final class NotificationStatus {

    private static final int FAILURES_SHOWN = 3;

    private final OutboxStore store;

    public NotificationStatus(OutboxStore store) {
        this.store = store;
    }

    public List<String> lines(String ruleId) {
        List<String> out = new ArrayList<>();
        Map<OutboxEntry.Status, Long> counts;
        try {
            counts = store.counts(ruleId);
        } catch (NotifyStoreException e) {
            out.add("notifications:  cannot be read: " + e.getMessage());
            return out;
        }
        StringBuilder line = new StringBuilder("notifications:  ");
        if (counts.isEmpty()) {
            line.append("none yet");
        }
        for (OutboxEntry.Status status : OutboxEntry.Status.values()) {
            Long count = counts.get(status);
            if (count != null) {
                line.append(line.length() > 16 ? ", " : "")
                        .append(status.text())
                        .append(' ')
                        .append(count);
            }
        }
        out.add(line.toString());
        for (OutboxEntry pending : store.recent(ruleId, OutboxEntry.Status.PENDING, 100)) {
            if (pending.lastError() != null) {
                out.add("  retrying:     alert " + pending.alertId().substring(0, 12) + " to " + pending.connector()
                        + " (attempt " + pending.attempts() + ", next " + pending.nextAttemptAt() + "): "
                        + pending.lastError());
                break;
            }
        }
        for (OutboxEntry failed : store.recent(ruleId, OutboxEntry.Status.FAILED, FAILURES_SHOWN)) {
            out.add("  failed:       alert " + failed.alertId().substring(0, 12) + " to " + failed.connector() + " ("
                    + failed.createdAt() + "): " + failed.lastError());
        }
        return out;
    }
}
