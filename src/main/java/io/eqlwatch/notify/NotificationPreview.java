package io.eqlwatch.notify;

import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The messages a rule's actions would send for some alerts, rendered by the real connectors but
 * not sent: {@code preview --notifications} and {@code notify test} show them. Throttles and digests
 * are not applied: a preview shows each message an action composes.
 */
public final class NotificationPreview {

    private final NotifySettings settings;
    private final Connectors connectors;

    public NotificationPreview(NotifySettings settings) {
        this.settings = settings;
        this.connectors = Connectors.from(settings);
    }

    /** One line of heading and the message per message, per-alert actions first alert by alert. */
    public List<String> render(Rule rule, List<AlertGroup> groups, String alertsIndex, String spaceId, Instant now) {
        List<String> out = new ArrayList<>();
        if (groups.isEmpty()) {
            return out;
        }
        for (RuleAction action : rule.actions()) {
            Connector connector = connectors.get(action.connector()).orElse(null);
            if (connector == null) {
                out.add("action " + action.key() + ": connector '" + action.connector()
                        + "' is not defined in the connectors file; nothing would be sent");
                continue;
            }
            List<List<OutboxEntry>> messages = new ArrayList<>();
            List<OutboxEntry> all = new ArrayList<>();
            for (AlertGroup group : groups) {
                OutboxEntry entry = entry(rule, action, group, alertsIndex, spaceId, now);
                if (action.frequency() == RuleAction.Frequency.SUMMARY) {
                    all.add(entry);
                } else {
                    messages.add(List.of(entry));
                }
            }
            if (!all.isEmpty()) {
                messages.add(all);
            }
            for (List<OutboxEntry> message : messages) {
                String heading = "--- " + connector.definition().type() + " '" + action.connector() + "' ("
                        + action.frequency().text() + (message.size() > 1 ? ", " + message.size() + " alerts" : "")
                        + ") ---";
                try {
                    out.add(heading + "\n"
                            + connector
                                    .render(MessageModel.of(message, settings.kibanaUrl(), now))
                                    .preview());
                } catch (RuntimeException e) {
                    out.add(heading + "\nthe message cannot be rendered: " + e.getMessage());
                }
            }
        }
        return out;
    }

    /** Sends one made-up alert through a connector, for checking its address, secret and format. */
    public DeliveryOutcome sendTest(
            String connectorName, Rule rule, AlertGroup sample, String alertsIndex, Instant now) {
        Connector connector = connectors
                .get(connectorName)
                .orElseThrow(() -> new NotifyConfigException(
                        List.of("no connector '" + connectorName + "' in the connectors file; defined: "
                                + String.join(", ", settings.connectors().keySet()))));
        RuleAction action = new RuleAction(connectorName, RuleAction.Frequency.PER_ALERT, null, null, Map.of());
        OutboxEntry entry = entry(rule, action, sample, alertsIndex, "default", now);
        return connector.send(connector.render(MessageModel.of(List.of(entry), settings.kibanaUrl(), now)));
    }

    private static OutboxEntry entry(
            Rule rule, RuleAction action, AlertGroup group, String alertsIndex, String spaceId, Instant now) {
        return OutboxStager.pending(
                rule, action, group, AlertContext.of(rule, group, alertsIndex, spaceId), "preview", now);
    }
}
