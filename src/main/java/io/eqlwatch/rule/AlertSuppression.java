package io.eqlwatch.rule;

import java.time.Duration;
import java.util.List;

/**
 * A rule's {@code alert_suppression}, as Kibana's EQL rules have it: matches whose
 * {@code group_by} fields hold the same values are folded into one alert.
 *
 * @param groupBy         one to five fields, read from the shell alert (the fields all events of a
 *                        sequence share) or from an event query's event
 * @param duration        how long after the last folded match the open alert keeps absorbing new
 *                        ones; {@code null}: only matches of the same rule execution are folded
 * @param suppressMissing {@code true} (Kibana's {@code suppress}, the default): matches missing a
 *                        group-by field form one group of their own; {@code false}
 *                        ({@code doNotSuppress}): each such match gets its own alert
 */
public record AlertSuppression(List<String> groupBy, Duration duration, boolean suppressMissing) {

    public static final int MAX_FIELDS = 5;

    public AlertSuppression {
        groupBy = List.copyOf(groupBy);
        if (groupBy.isEmpty() || groupBy.size() > MAX_FIELDS) {
            throw new IllegalArgumentException("group_by takes 1 to " + MAX_FIELDS + " fields");
        }
    }

    /** Kibana's {@code missing_fields_strategy} value. */
    public String missingFieldsStrategy() {
        return suppressMissing ? "suppress" : "doNotSuppress";
    }
}
