package io.eqlwatch.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Map;

/**
 * A Slack incoming webhook with a Block Kit message: a header with the rule, the message text as
 * mrkdwn, and a button to the alert in Kibana. {@code text} carries the same message for
 * notifications and clients that show no blocks.
 */
record SlackConnector(ConnectorDefinition.Slack definition, MessageTemplates templates, HttpDelivery http)
        implements Connector {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Slack refuses a section text over 3000 characters. */
    private static final int SECTION_LIMIT = 3000;

    @Override
    public RenderedMessage render(MessageModel model) {
        String title = model.title(templates);
        String text = model.text(templates);
        ObjectNode body = JSON.createObjectNode();
        body.put("text", mrkdwn(title + "\n" + text));
        ArrayNode blocks = body.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", limit(title, 150));
        blocks.addObject()
                .put("type", "section")
                .putObject("text")
                .put("type", "mrkdwn")
                .put("text", limit(mrkdwn(text), SECTION_LIMIT));
        String url = model.firstAlertUrl();
        if (url != null) {
            ObjectNode actions = blocks.addObject().put("type", "actions");
            ObjectNode button = actions.putArray("elements")
                    .addObject()
                    .put("type", "button")
                    .put("url", url);
            button.putObject("text").put("type", "plain_text").put("text", "Open in Kibana");
        }
        String json = body.toString();
        return new RenderedMessage("POST to Slack (" + definition.webhookUrl().origin() + ")\n" + json, json);
    }

    @Override
    public DeliveryOutcome send(RenderedMessage message) {
        return http.send(
                "POST",
                URI.create(definition.webhookUrl().reveal()),
                Map.of(),
                (String) message.payload(),
                "Slack " + definition.name());
    }

    /** Slack's mrkdwn treats these three as markup; anything else passes through. */
    static String mrkdwn(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String limit(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
