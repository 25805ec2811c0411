package io.eqlwatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.StringJoiner;

/**
 * {@code kibana.alert.reason}: the one-line sentence Kibana's alerts table shows, in the shape
 * Kibana's detection engine writes it, e.g. {@code network event with process System, source
 * 10.0.0.5:50123, destination 10.0.0.9:445, on WKS-0001 created medium alert Potential Lateral
 * Tool Transfer via SMB Share.}
 *
 * <p>Parts whose field is absent are left out; multi-valued fields are joined with {@code ", "}.
 * Kibana's punctuation is kept as it is, including the comma after a port and none after an
 * address without a port.
 */
public final class ReasonMessage {

    private ReasonMessage() {}

    /**
     * Builds the sentence from the fields of {@code document}.
     *
     * @param document the alert's event fields (nested or dotted)
     * @param severity the rule's severity in lower case
     * @param ruleName the rule's name
     */
    public static String build(JsonNode document, String severity, String ruleName) {
        String category = text(document, "event.category");
        String process = text(document, "process.name");
        String parentProcess = text(document, "process.parent.name");
        String file = text(document, "file.name");
        String sourceAddress = text(document, "source.ip");
        String sourcePort = text(document, "source.port");
        String destinationAddress = text(document, "destination.ip");
        String destinationPort = text(document, "destination.port");
        String user = text(document, "user.name");
        String host = text(document, "host.name");

        boolean anyDetail = process != null
                || parentProcess != null
                || file != null
                || sourceAddress != null
                || sourcePort != null
                || destinationAddress != null
                || destinationPort != null;

        StringBuilder out = new StringBuilder();
        if (category != null) {
            out.append(category).append(' ');
        }
        out.append("event");
        if (anyDetail) {
            out.append(" with");
        }
        if (process != null) {
            out.append(" process ").append(process).append(',');
        }
        if (parentProcess != null) {
            out.append(" parent process ").append(parentProcess).append(',');
        }
        if (file != null) {
            out.append(" file ").append(file).append(',');
        }
        if (sourceAddress != null) {
            out.append(" source ").append(sourceAddress);
        }
        if (sourcePort != null) {
            out.append(':').append(sourcePort).append(',');
        }
        if (destinationAddress != null) {
            out.append(" destination ").append(destinationAddress);
        }
        if (destinationPort != null) {
            out.append(':').append(destinationPort).append(',');
        }
        if (user != null) {
            out.append(" by ").append(user);
        }
        if (host != null) {
            out.append(" on ").append(host);
        }
        out.append(" created ")
                .append(severity)
                .append(" alert ")
                .append(ruleName)
                .append('.');
        return out.toString();
    }

    /** The field's values joined, or {@code null} when it has none (or only Kibana's "-" filler). */
    private static String text(JsonNode document, String field) {
        List<JsonNode> values = DocumentFields.values(document, field);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() == 1) {
            String only = values.get(0).asText();
            if (only.isEmpty() || only.equals("-")) {
                return null;
            }
        }
        StringJoiner joined = new StringJoiner(", ");
        for (JsonNode value : values) {
            joined.add(value.asText());
        }
        return joined.toString();
    }
}
