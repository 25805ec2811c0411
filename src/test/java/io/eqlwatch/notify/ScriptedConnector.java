package io.eqlwatch.notify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A receiver for dispatcher tests: records the alert ids of each message it is sent and answers
 * with the outcomes queued, then with success.
 */
final class ScriptedConnector implements Connector {

    private final ConnectorDefinition definition;
    private final Deque<DeliveryOutcome> script = new ArrayDeque<>();
    final List<List<String>> delivered = new ArrayList<>();
    int attempts;

    ScriptedConnector(String name) {
        this.definition = new ConnectorDefinition.Webhook(
                name, "POST", SettingValue.literal("http://127.0.0.1:9/"), Map.of(), null, null);
    }

    ScriptedConnector then(DeliveryOutcome outcome, int times) {
        for (int i = 0; i < times; i++) {
            script.add(outcome);
        }
        return this;
    }

    @Override
    public ConnectorDefinition definition() {
        return definition;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RenderedMessage render(MessageModel model) {
        List<String> ids = ((List<Map<String, Object>>) model.model().get("alerts"))
                .stream().map(a -> (String) a.get("id")).toList();
        return new RenderedMessage(String.join(",", ids), ids);
    }

    @Override
    @SuppressWarnings("unchecked")
    public DeliveryOutcome send(RenderedMessage message) {
        attempts++;
        DeliveryOutcome outcome = script.isEmpty() ? DeliveryOutcome.ok("200") : script.poll();
        if (outcome.delivered()) {
            delivered.add((List<String>) message.payload());
        }
        return outcome;
    }

    /** Every alert id delivered, in delivery order. */
    List<String> deliveredIds() {
        return delivered.stream().flatMap(List::stream).toList();
    }
}
