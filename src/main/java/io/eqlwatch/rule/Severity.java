package io.eqlwatch.rule;

import java.util.Locale;

/** Kibana's four severities, written in lower case in rules and alerts. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code low|medium|high|critical}, any case; {@code null} when it is none of them. */
    public static Severity parse(String text) {
        for (Severity severity : values()) {
            if (severity.text().equalsIgnoreCase(text)) {
                return severity;
            }
        }
        return null;
    }
}
