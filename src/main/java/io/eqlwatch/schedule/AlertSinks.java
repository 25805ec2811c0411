package io.eqlwatch.schedule;

import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.AlertWriter;
import io.eqlwatch.alert.SuppressingAlertSink;
import io.eqlwatch.rule.AlertSuppression;
import io.eqlwatch.rule.Rule;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The alert sink of each rule: the writer itself, or for a rule with {@code alert_suppression} a
 * suppressing sink in front of it, kept from one execution to the next (it remembers each group's
 * latest alert while the index has yet to make it searchable) and made anew when the rule's
 * suppression settings change.
 */
final class AlertSinks {

    private record Keyed(AlertSuppression suppression, SuppressingAlertSink sink) {}

    private final AlertSink base;
    private final String spaceId;
    private final Map<String, Keyed> byRule = new HashMap<>();

    /** @param base where alerts go; suppression also needs the alerts index behind it ({@link AlertSink#store()}) */
    AlertSinks(AlertSink base, String spaceId) {
        this.base = base;
        this.spaceId = spaceId;
    }

    synchronized AlertSink forExecution(Rule rule, String executionUuid, Instant now) {
        AlertSuppression suppression = rule.tuning().suppression();
        AlertWriter writer = suppression == null ? null : base.store().orElse(null);
        if (writer == null) {
            byRule.remove(rule.uuid());
            return base;
        }
        Keyed keyed = byRule.get(rule.uuid());
        if (keyed == null || !Objects.equals(keyed.suppression(), suppression)) {
            keyed = new Keyed(suppression, new SuppressingAlertSink(base, writer, suppression, rule.uuid(), spaceId));
            byRule.put(rule.uuid(), keyed);
        }
        keyed.sink().startExecution(executionUuid, now);
        return keyed.sink();
    }
}
