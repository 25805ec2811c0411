package io.eqlwatch.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The connectors of a connectors file, ready to send. */
public final class Connectors {

    private final Map<String, Connector> byName;

    private Connectors(Map<String, Connector> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** Connectors already built, by name (tests put their own receivers here). */
    static Connectors of(Map<String, Connector> byName) {
        return new Connectors(byName);
    }

    public static Connectors from(NotifySettings settings) {
        MessageTemplates templates = new MessageTemplates();
        Map<String, Connector> out = new LinkedHashMap<>();
        settings.connectors()
                .forEach((name, definition) -> out.put(name, create(definition, templates, settings.delivery())));
        return new Connectors(out);
    }

    static Connector create(ConnectorDefinition definition, MessageTemplates templates, DeliveryPolicy delivery) {
        Redaction redaction = Redaction.of(definition);
        HttpDelivery http = new HttpDelivery(delivery.requestTimeout(), redaction);
        if (definition instanceof ConnectorDefinition.Webhook webhook) {
            return new WebhookConnector(webhook, templates, http);
        } else if (definition instanceof ConnectorDefinition.Slack slack) {
            return new SlackConnector(slack, templates, http);
        } else if (definition instanceof ConnectorDefinition.Teams teams) {
            return new TeamsConnector(teams, templates, http);
        } else if (definition instanceof ConnectorDefinition.PagerDuty pagerDuty) {
            return new PagerDutyConnector(pagerDuty, templates, http);
        }
        return new EmailConnector(
                (ConnectorDefinition.Email) definition, templates, delivery.requestTimeout(), redaction);
    }

    public Optional<Connector> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
