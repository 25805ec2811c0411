package io.eqlwatch.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.alert.AlertDocument;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.Threat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a notification's templates see of a rule and an alert, taken from the alert documents as
 * they are written: Kibana's flat {@code kibana.alert.*} keys and the events' nested ECS objects
 * become one nested tree, so that {@code {{alert.host.name}}} and {@code {{alert.reason}}} work.
 */
final class AlertContext {

    /** ECS objects of the alert that messages commonly show. */
    private static final List<String> ALERT_OBJECTS =
            List.of("host", "user", "source", "destination", "file", "process", "network", "event", "agent");

    private AlertContext() {}

    static ObjectNode of(Rule rule, AlertGroup group, String alertsIndex, String spaceId) {
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        context.set("rule", rule(rule));
        ObjectNode primary = nest(group.primary().source());
        ObjectNode kibanaAlert = (ObjectNode) primary.path("kibana").path("alert");
        ObjectNode alert = context.putObject("alert");
        alert.put("id", group.id());
        alert.put("reason", kibanaAlert.path("reason").asText(""));
        alert.put("severity", rule.severity().text());
        alert.put("risk_score", rule.riskScore());
        alert.put("timestamp", primary.path("@timestamp").asText(""));
        alert.put("original_time", kibanaAlert.path("original_time").asText(""));
        alert.put("index", alertsIndex);
        alert.put("space_id", spaceId);
        ArrayNode events = alert.putArray("events");
        for (AlertDocument document : group.documents()) {
            if (document.role() == AlertDocument.Role.SHELL) {
                continue;
            }
            ObjectNode event = nest(document.source());
            // The event's own time, not the alert's (which is when the run wrote it).
            String eventTime =
                    event.path("kibana").path("alert").path("original_time").asText("");
            event.remove("kibana");
            event.remove("@timestamp");
            event.put("timestamp", eventTime);
            events.add(event);
        }
        // A sequence's shell holds only what all its events share (the host, say); the file written or
        // the remote address are on one event. A message names them all, first event that has each first.
        for (String object : ALERT_OBJECTS) {
            JsonNode value = primary.get(object);
            for (int i = 0; (value == null || !value.isObject()) && i < events.size(); i++) {
                value = events.get(i).get(object);
            }
            if (value != null && value.isObject()) {
                alert.set(object, value);
            }
        }
        alert.put("events_count", events.size());
        return context;
    }

    private static ObjectNode rule(Rule rule) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("name", rule.name());
        out.put("id", rule.ruleId());
        out.put("rule_id", rule.ruleId());
        out.put("uuid", rule.uuid());
        out.put("description", rule.description());
        out.put("severity", rule.severity().text());
        out.put("risk_score", rule.riskScore());
        ArrayNode tags = out.putArray("tags");
        rule.tags().forEach(tags::add);
        ArrayNode threats = out.putArray("threat");
        for (Threat threat : rule.threat()) {
            ObjectNode node = threats.addObject();
            node.put("framework", threat.framework());
            if (threat.tactic() != null) {
                node.putObject("tactic")
                        .put("id", threat.tactic().id())
                        .put("name", threat.tactic().name());
            }
            ArrayNode techniques = node.putArray("technique");
            threat.technique()
                    .forEach(t -> techniques.addObject().put("id", t.id()).put("name", t.name()));
        }
        return out;
    }

    /** Turns flat dotted keys into nested objects, merging with objects already nested. */
    static ObjectNode nest(ObjectNode flat) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = flat.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            put(out, field.getKey(), field.getValue());
        }
        return out;
    }

    private static void put(ObjectNode target, String dottedKey, JsonNode value) {
        // "@timestamp" and other keys without dots go in as they are.
        String[] parts = dottedKey.split("\\.");
        ObjectNode node = target;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        String last = parts[parts.length - 1];
        JsonNode existing = node.get(last);
        if (value.isObject()) {
            ObjectNode merged = existing != null && existing.isObject() ? (ObjectNode) existing : node.putObject(last);
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                put(merged, field.getKey(), field.getValue());
            }
        } else {
            node.set(last, value.deepCopy());
        }
    }
}
