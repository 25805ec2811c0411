package io.eqlwatch.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Any HTTP endpoint. The body is the connector's (or the action's) Mustache template, with values
 * escaped as JSON string content; without a template it is the whole model as JSON — rule, alert
 * or alerts, Kibana links — which a receiver can pick from.
 */
record WebhookConnector(ConnectorDefinition.Webhook definition, MessageTemplates templates, HttpDelivery http)
        implements Connector {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public RenderedMessage render(MessageModel model) {
        String template = model.templates().getOrDefault("body", definition.bodyTemplate());
        String body;
        if (template != null) {
            body = templates.render(template, MessageTemplates.Escaping.JSON, model.model());
        } else {
            Map<String, Object> plain = new LinkedHashMap<>();
            plain.put("rule", model.model().get("rule"));
            if (model.summary()) {
                plain.put("alerts", model.model().get("alerts"));
                plain.put("alerts_count", model.model().get("alerts_count"));
            } else {
                plain.put("alert", model.model().get("alert"));
            }
            try {
                body = JSON.writeValueAsString(plain);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write the webhook body: " + e.getOriginalMessage(), e);
            }
        }
        return new RenderedMessage(definition.method() + " " + definition.url() + "\n" + body, body);
    }

    @Override
    public DeliveryOutcome send(RenderedMessage message) {
        Map<String, String> headers = new LinkedHashMap<>();
        definition.headers().forEach((name, value) -> headers.put(name, value.value()));
        if (definition.auth() instanceof ConnectorDefinition.HttpAuth.Basic basic) {
            String pair = basic.username() + ":" + basic.password().reveal();
            headers.put(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else if (definition.auth() instanceof ConnectorDefinition.HttpAuth.Bearer bearer) {
            headers.put("Authorization", "Bearer " + bearer.token().reveal());
        }
        return http.send(
                definition.method(),
                URI.create(definition.url().value()),
                headers,
                (String) message.payload(),
                "webhook " + definition.name());
    }
}
