package io.eqlwatch.notify;

/**
 * A connector setting that may be written in the connectors file (a header such as
 * {@code Content-Type}) or read from the environment or a file (an {@code Authorization} header).
 * Values read from outside the file are treated as secrets: redacted in every message.
 */
public record SettingValue(String literal, Secret secret) {

    public static SettingValue literal(String text) {
        return new SettingValue(text, null);
    }

    public static SettingValue secret(Secret secret) {
        return new SettingValue(null, secret);
    }

    public String value() {
        return secret != null ? secret.reveal() : literal;
    }

    @Override
    public String toString() {
        return secret != null ? secret.toString() : literal;
    }
}
