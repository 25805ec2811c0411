package io.eqlwatch.notify;

/** Sends messages to one receiver. Implementations must be safe for one thread at a time. */
public interface Connector {

    ConnectorDefinition definition();

    /** Renders the message; templates that fail to render throw {@link IllegalArgumentException}. */
    RenderedMessage render(MessageModel model);

    /** Sends it once, without retrying: the dispatcher decides about retries. */
    DeliveryOutcome send(RenderedMessage message);
}
