package io.eqlwatch.notify;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the connectors file says: the connectors by name, the Kibana address alert links point
 * to, and how deliveries are retried.
 */
public record NotifySettings(Map<String, ConnectorDefinition> connectors, URI kibanaUrl, DeliveryPolicy delivery) {

    public NotifySettings {
        connectors = Map.copyOf(connectors);
    }

    public static NotifySettings none() {
        return new NotifySettings(Map.of(), null, DeliveryPolicy.DEFAULT);
    }

    public Optional<ConnectorDefinition> connector(String name) {
        return Optional.ofNullable(connectors.get(name));
    }

    public Optional<URI> kibana() {
        return Optional.ofNullable(kibanaUrl);
    }
}
