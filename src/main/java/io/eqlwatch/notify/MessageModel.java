package io.eqlwatch.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one message is about: one alert (per-alert actions) or several (a summary), as the model
 * templates render. Besides eqlwatch's own names ({@code rule}, {@code alert}, {@code alerts},
 * {@code alerts_count}, {@code kibana.alert.url}) it offers the names Kibana gives its security
 * rule actions ({@code context.rule}, {@code context.alerts}, {@code state.signals_count}), so that
 * an imported Kibana message renders as it did there.
 *
 * @param templates the action's template overrides by part
 * @param dedupKey  stable for the same alerts: PagerDuty de-duplicates on it
 */
public record MessageModel(
        boolean summary, Map<String, Object> model, Map<String, String> templates, String dedupKey, String severity) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public MessageModel {
        templates = Map.copyOf(templates);
    }

    /** The model of one message about these entries, all of one rule and action, oldest first. */
    @SuppressWarnings("unchecked")
    static MessageModel of(List<OutboxEntry> entries, URI kibana, Instant now) {
        OutboxEntry first = entries.get(0);
        Map<String, Object> rule = MAPPER.convertValue(first.context().path("rule"), Map.class);
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (OutboxEntry entry : entries) {
            Map<String, Object> alert = MAPPER.convertValue(entry.context().path("alert"), Map.class);
            String url = alertUrl(kibana, alert);
            if (url != null) {
                alert.put("url", url);
            }
            alerts.add(alert);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("rule", rule);
        model.put("alerts", alerts);
        model.put("alerts_count", alerts.size());
        model.put("date", now.toString());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("rule", rule);
        context.put("alerts", alerts);
        model.put("context", context);
        model.put("state", Map.of("signals_count", alerts.size()));
        if (!first.summary()) {
            Map<String, Object> alert = alerts.get(0);
            model.put("alert", alert);
            Map<String, Object> kibanaAlert = new LinkedHashMap<>();
            kibanaAlert.put("id", alert.get("id"));
            kibanaAlert.put("reason", alert.get("reason"));
            if (alert.get("url") != null) {
                kibanaAlert.put("url", alert.get("url"));
            }
            model.put("kibana", Map.of("alert", kibanaAlert));
        }
        String dedup = first.summary() ? "eqlwatch-summary:" + first.ruleId() + ":" + first.alertId() : first.alertId();
        return new MessageModel(first.summary(), model, first.templates(), dedup, String.valueOf(rule.get("severity")));
    }

    /**
     * Kibana's link to one alert, {@code <kibana>/s/<space>/app/security/alerts/redirect/<id>?index=&timestamp=},
     * which opens the alert's flyout whatever page Kibana's alerts table is on.
     */
    static String alertUrl(URI kibana, Map<String, Object> alert) {
        if (kibana == null) {
            return null;
        }
        String base = kibana.toString().replaceAll("/+$", "");
        Object space = alert.get("space_id");
        String spacePath = space == null || "default".equals(space) ? "" : "/s/" + space;
        return base + spacePath + "/app/security/alerts/redirect/" + alert.get("id")
                + "?index=" + URLEncoder.encode(String.valueOf(alert.get("index")), StandardCharsets.UTF_8)
                + "&timestamp=" + URLEncoder.encode(String.valueOf(alert.get("timestamp")), StandardCharsets.UTF_8);
    }

    /** The title of a chat message: the rule, or the rule and the count of a summary. */
    String title(MessageTemplates renderer) {
        return renderer.render(
                summary ? DefaultTemplates.SUMMARY_TITLE : DefaultTemplates.TITLE,
                MessageTemplates.Escaping.NONE,
                model);
    }

    /** The text of a chat message: the action's {@code message} template, else eqlwatch's default. */
    String text(MessageTemplates renderer) {
        return renderer.render(
                template("message", summary ? DefaultTemplates.SUMMARY_TEXT : DefaultTemplates.ALERT_TEXT),
                MessageTemplates.Escaping.NONE,
                model);
    }

    /** Kibana's link to the message's alert, or to the first of a summary's; {@code null} without a Kibana URL. */
    @SuppressWarnings("unchecked")
    String firstAlertUrl() {
        List<Map<String, Object>> alerts = (List<Map<String, Object>>) model.get("alerts");
        return alerts.isEmpty() ? null : (String) alerts.get(0).get("url");
    }

    /** The template for a part: the action's own, else the connector's default. */
    String template(String part, String fallback) {
        return templates.getOrDefault(part, fallback);
    }
}
