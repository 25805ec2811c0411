package io.eqlwatch.notify;

/**
 * A message ready to go: what {@code preview} prints and what the connector puts on the wire.
 *
 * @param preview the message as a person reads it (the JSON body, or an email's headers and parts),
 *                with no secret in it
 * @param payload what the connector sends: a JSON body for HTTP connectors, {@link EmailParts} for email
 */
public record RenderedMessage(String preview, Object payload) {

    /** The parts of an email. */
    public record EmailParts(String subject, String text, String html) {}
}
