package io.eqlwatch.notify;

import java.util.Objects;

/**
 * A value read from an environment variable or a file, never from the connectors file itself.
 * {@link #toString()} names where it came from and never the value, so a secret that reaches a log
 * line or an exception message by accident shows as {@code <secret from env SLACK_URL>}.
 */
public final class Secret {

    private final String value;
    private final String origin;

    private Secret(String value, String origin) {
        this.value = Objects.requireNonNull(value, "value");
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    static Secret of(String value, String origin) {
        return new Secret(value, origin);
    }

    /** The value itself; only for putting it on the wire. */
    public String reveal() {
        return value;
    }

    /** Where the value came from, e.g. {@code env SLACK_URL}: safe to print. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "<secret from " + origin + ">";
    }
}
