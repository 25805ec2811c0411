package io.eqlwatch.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * PagerDuty's Events API v2: a {@code trigger} event whose {@code dedup_key} is the alert's id, so
 * that PagerDuty itself folds a repeated delivery into the same incident.
 */
record PagerDutyConnector(ConnectorDefinition.PagerDuty definition, MessageTemplates templates, HttpDelivery http)
        implements Connector {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    @SuppressWarnings("unchecked")
    public RenderedMessage render(MessageModel model) {
        String summary = templates
                .render(
                        model.template(
                                "summary",
                                model.summary() ? DefaultTemplates.SUMMARY_TITLE : "{{rule.name}}: {{alert.reason}}"),
                        MessageTemplates.Escaping.NONE,
                        model.model())
                .strip();
        Map<String, Object> rule = (Map<String, Object>) model.model().get("rule");
        List<Map<String, Object>> alerts =
                (List<Map<String, Object>>) model.model().get("alerts");
        Map<String, Object> firstAlert = alerts.get(0);
        ObjectNode body = JSON.createObjectNode();
        body.put("routing_key", "ROUTING_KEY");
        body.put("event_action", "trigger");
        body.put("dedup_key", model.dedupKey());
        body.put("client", "eqlwatch");
        ObjectNode payload = body.putObject("payload");
        // PagerDuty caps the summary at 1024 characters.
        payload.put("summary", summary.length() > 1024 ? summary.substring(0, 1023) + "…" : summary);
        payload.put("source", hostOf(firstAlert));
        payload.put("severity", severity(model.severity()));
        payload.put("timestamp", String.valueOf(firstAlert.get("original_time")));
        payload.put("group", String.valueOf(rule.get("name")));
        payload.put("class", "eqlwatch detection");
        ObjectNode details = payload.putObject("custom_details");
        details.put("rule_id", String.valueOf(rule.get("rule_id")));
        details.put("risk_score", String.valueOf(rule.get("risk_score")));
        details.put("alerts_count", alerts.size());
        details.set(
                "alerts",
                JSON.valueToTree(alerts.stream()
                        .map(a -> Map.of("id", a.get("id"), "reason", String.valueOf(a.get("reason"))))
                        .toList()));
        if (firstAlert.get("url") != null) {
            body.putArray("links")
                    .addObject()
                    .put("href", (String) firstAlert.get("url"))
                    .put("text", "Open in Kibana");
        }
        String printable = body.toString();
        body.put("routing_key", definition.routingKey().reveal());
        return new RenderedMessage(
                "POST " + definition.eventsUrl() + " (routing key from "
                        + definition.routingKey().origin() + ")\n" + printable,
                body.toString());
    }

    @Override
    public DeliveryOutcome send(RenderedMessage message) {
        return http.send(
                "POST", definition.eventsUrl(), Map.of(), (String) message.payload(), "PagerDuty " + definition.name());
    }

    @SuppressWarnings("unchecked")
    private static String hostOf(Map<String, Object> alert) {
        Object host = alert.get("host");
        if (host instanceof Map<?, ?> map && map.get("name") != null) {
            return String.valueOf(map.get("name"));
        }
        return "eqlwatch";
    }

    /** Elastic's severities onto PagerDuty's four. */
    static String severity(String elastic) {
        return switch (elastic) {
            case "critical" -> "critical";
            case "high" -> "error";
            case "medium" -> "warning";
            default -> "info";
        };
    }
}
