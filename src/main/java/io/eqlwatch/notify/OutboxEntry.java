package io.eqlwatch.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.rule.RuleAction;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One notification owed: alert × action, recorded in Elasticsearch before the alert is written.
 * It carries everything the dispatcher needs (the action's frequency, throttle and templates, and
 * the alert's fields for the templates), so that delivery depends only on the connectors file.
 *
 * @param id          deterministic from rule, action and alert, so staging it twice is a no-op
 * @param alertTime   the time of the alert's first event: notifications staged together go out in this order
 * @param context     {@code {"rule": {...}, "alert": {...}}}: what the templates see
 * @param seqNo       the document version read from Elasticsearch, for conditional updates; -1 when new
 */
public record OutboxEntry(
        String id,
        String ruleId,
        String ruleName,
        String connector,
        String actionKey,
        RuleAction.Frequency frequency,
        Duration interval,
        Duration throttle,
        Map<String, String> templates,
        String alertId,
        Instant alertTime,
        String executionId,
        Instant createdAt,
        Status status,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        Instant sentAt,
        ObjectNode context,
        long seqNo,
        long primaryTerm) {

    /** Where a notification stands. */
    public enum Status {
        /** Waiting to be sent, or to be retried at {@code next_attempt_at} after a failure. */
        PENDING,
        /** Claimed by a dispatcher that is sending it now. */
        SENDING,
        SENT,
        /** Given up after the retry limit, or refused for good by the receiver; {@code last_error} says why. */
        FAILED,
        /** Not sent: the action's throttle had a message sent for the rule within its period. */
        THROTTLED,
        /** Its alert was never written (the rule changed before a capped run could write it). */
        ABANDONED;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status parse(String text) {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public OutboxEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        templates = Map.copyOf(templates);
    }

    /** Rule and action together: what throttling, digests and summaries group by. */
    public String ruleActionKey() {
        return ruleId + "\u0000" + actionKey;
    }

    public boolean summary() {
        return frequency == RuleAction.Frequency.SUMMARY;
    }

    /** For a digest or a throttle: the least time between two messages of this rule and action. */
    public Duration period() {
        if (interval != null && throttle != null) {
            return interval.compareTo(throttle) > 0 ? interval : throttle;
        }
        return interval != null ? interval : throttle;
    }

    public OutboxEntry with(
            Status newStatus, int newAttempts, Instant newNextAttempt, String newError, Instant newSentAt) {
        return new OutboxEntry(
                id,
                ruleId,
                ruleName,
                connector,
                actionKey,
                frequency,
                interval,
                throttle,
                templates,
                alertId,
                alertTime,
                executionId,
                createdAt,
                newStatus,
                newAttempts,
                newNextAttempt,
                newError,
                newSentAt,
                context,
                seqNo,
                primaryTerm);
    }

    public OutboxEntry withVersion(long newSeqNo, long newPrimaryTerm) {
        return new OutboxEntry(
                id,
                ruleId,
                ruleName,
                connector,
                actionKey,
                frequency,
                interval,
                throttle,
                templates,
                alertId,
                alertTime,
                executionId,
                createdAt,
                status,
                attempts,
                nextAttemptAt,
                lastError,
                sentAt,
                context,
                newSeqNo,
                newPrimaryTerm);
    }
}
