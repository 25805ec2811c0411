package io.eqlwatch.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Map;

/**
 * A Microsoft Teams incoming webhook. The message is an Adaptive Card in the attachment envelope,
 * which both the classic Office 365 connector webhooks and the Workflows webhooks that replace them
 * accept.
 */
record TeamsConnector(ConnectorDefinition.Teams definition, MessageTemplates templates, HttpDelivery http)
        implements Connector {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public RenderedMessage render(MessageModel model) {
        String title = model.title(templates);
        String text = model.text(templates);
        ObjectNode body = JSON.createObjectNode().put("type", "message");
        ObjectNode attachment =
                body.putArray("attachments").addObject().put("contentType", "application/vnd.microsoft.card.adaptive");
        ObjectNode card = attachment
                .putObject("content")
                .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                .put("type", "AdaptiveCard")
                .put("version", "1.4");
        ArrayNode items = card.putArray("body");
        items.addObject()
                .put("type", "TextBlock")
                .put("size", "Large")
                .put("weight", "Bolder")
                .put("wrap", true)
                .put("text", title);
        // Adaptive Cards' TextBlock reads Markdown: a lone newline is no line break there, a blank line is.
        items.addObject()
                .put("type", "TextBlock")
                .put("wrap", true)
                .put("text", text.strip().replace("\n", "\n\n"));
        String url = model.firstAlertUrl();
        if (url != null) {
            card.putArray("actions")
                    .addObject()
                    .put("type", "Action.OpenUrl")
                    .put("title", "Open in Kibana")
                    .put("url", url);
        }
        String json = body.toString();
        return new RenderedMessage("POST to Teams (" + definition.webhookUrl().origin() + ")\n" + json, json);
    }

    @Override
    public DeliveryOutcome send(RenderedMessage message) {
        return http.send(
                "POST",
                URI.create(definition.webhookUrl().reveal()),
                Map.of(),
                (String) message.payload(),
                "Teams " + definition.name());
    }
}
