package io.eqlwatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.Severity;
import java.util.List;

/**
 * A rule's {@code risk_score_mapping}, {@code severity_mapping} and {@code rule_name_override}
 * applied to one alert from the fields it carries, as Kibana applies them to event-query alerts:
 * the risk score is the mapped field's number when it is one from 0 to 100; the severity is the
 * highest of the mappings whose field equals their value; the rule name is the override field's
 * text. Kibana ignores the three on sequences; eqlwatch applies them to a sequence's shell from the
 * fields all its events share, so a mapping on a shared field (say {@code host.name}) works.
 */
final class AlertOverrides {

    private final JsonNode riskMapping;
    private final JsonNode severityMapping;
    private final String nameField;

    AlertOverrides(Rule rule) {
        JsonNode parameters = rule.tuning().parameters();
        this.riskMapping = parameters.path("risk_score_mapping");
        this.severityMapping = parameters.path("severity_mapping");
        this.nameField = parameters.path("rule_name_override").asText(null);
    }

    boolean isEmpty() {
        return riskMapping.isEmpty() && severityMapping.isEmpty() && (nameField == null || nameField.isBlank());
    }

    /** Overrides the alert's score, severity and rule name where the fields say so. */
    void apply(ObjectNode alert, JsonNode fields) {
        for (JsonNode mapping : riskMapping) {
            List<JsonNode> values =
                    DocumentFields.values(fields, mapping.path("field").asText());
            if (!values.isEmpty() && isNumber(values.get(0).asText())) {
                double score = Double.parseDouble(values.get(0).asText());
                if (score >= 0 && score <= 100) {
                    if (score == Math.rint(score)) {
                        alert.put("kibana.alert.risk_score", (long) score);
                    } else {
                        alert.put("kibana.alert.risk_score", score);
                    }
                    break;
                }
            }
        }
        Severity best = null;
        for (JsonNode mapping : severityMapping) {
            Severity severity = Severity.parse(mapping.path("severity").asText());
            String expected = mapping.path("value").asText();
            boolean matches = DocumentFields.values(
                            fields, mapping.path("field").asText())
                    .stream()
                    .anyMatch(v -> v.asText().equals(expected));
            if (severity != null && matches && (best == null || severity.ordinal() > best.ordinal())) {
                best = severity;
            }
        }
        if (best != null) {
            alert.put("kibana.alert.severity", best.text());
        }
        if (nameField != null && !nameField.isBlank()) {
            List<JsonNode> names = DocumentFields.values(fields, nameField);
            if (!names.isEmpty() && !names.get(0).asText().isBlank()) {
                alert.put("kibana.alert.rule.name", names.get(0).asText());
            }
        }
    }

    private static boolean isNumber(String text) {
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
