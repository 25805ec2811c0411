package io.eqlwatch.rule.importer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads Kibana rule exports, one JSON object a line, in either of the two shapes Kibana writes:
 * <ul>
 *   <li>the detection engine's export ({@code POST /api/detection_engine/rules/_export}, the Rules
 *       page's "Export"): snake_case rule objects as the rules API returns them, then a line of
 *       export counts;</li>
 *   <li>Saved Objects export: {@code {"type": "alert", "id": ..., "attributes": {"name", "tags",
 *       "alertTypeId": "siem.eqlRule", "schedule": {"interval"}, "params": {camelCase rule fields}}}}.</li>
 * </ul>
 * Export count lines are passed over; exception lists and their items become shared exception-list
 * files; other saved objects are skipped with the reason.
 */
public final class KibanaRuleExport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> COUNT_KEYS = Set.of(
            "exported_count",
            "exported_rules_count",
            "exportedCount",
            "missing_rules",
            "missingRefCount",
            "exported_exception_list_count",
            "exported_exception_list_item_count",
            "missing_exception_lists");
    /** Saved-object attributes that become eqlwatch fields (params are handled field by field). */
    private static final Set<String> USED_ATTRIBUTES = Set.of("name", "tags", "schedule", "params", "alertTypeId");

    private final ElasticRuleFields converter = new ElasticRuleFields();

    public List<ImportOutcome> read(Path file) {
        String name = file.getFileName().toString();
        List<ImportOutcome> out = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String source = name + ":" + number;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JacksonException e) {
                    int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
                    out.add(new ImportOutcome.Unreadable(
                            source + (column > 0 ? ":" + column : ""),
                            "invalid JSON: "
                                    + e.getOriginalMessage().lines().findFirst().orElse("")));
                    continue;
                }
                ImportOutcome outcome = convert(source, node);
                if (outcome != null) {
                    out.add(outcome);
                }
            }
        } catch (IOException e) {
            out.add(new ImportOutcome.Unreadable(name, "cannot read: " + e.getMessage()));
        }
        return out;
    }

    /** One line's rule; {@code null} for a line of export counts, which is no rule. */
    ImportOutcome convert(String source, JsonNode node) {
        if (!node.isObject()) {
            return new ImportOutcome.Unreadable(
                    source,
                    "expected a JSON object (one rule), found "
                            + node.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        if (COUNT_KEYS.stream().anyMatch(node::has)) {
            return null;
        }
        if (ExceptionListImport.isExceptionObject(node)) {
            return new ImportOutcome.ExceptionObject(source, node);
        }
        if (node.get("attributes") instanceof ObjectNode attributes) {
            return savedObject(source, node, attributes);
        }
        String name = node.path("name").asText(null);
        return converter.convert(
                source,
                slug(name, node.path("rule_id").asText(null)),
                node,
                Map.of("id", "uuid"),
                Map.of(),
                List.of(),
                List.of(),
                null);
    }

    private ImportOutcome savedObject(String source, JsonNode object, ObjectNode attributes) {
        String name = attributes.path("name").asText(attributes.path("title").asText(null));
        String type = object.path("type").asText("");
        if (type.equals("action")) {
            return null; // a connector: the notification import converts it
        }
        if (!type.equals("alert")) {
            return new ImportOutcome.Skipped(source, name, "a saved object of type '" + type + "', not a rule");
        }
        String ruleType = attributes.path("alertTypeId").asText("");
        if (!ruleType.equals("siem.eqlRule")) {
            return new ImportOutcome.Skipped(
                    source, name, "rule type '" + ruleType + "' is not an EQL rule (siem.eqlRule)");
        }
        JsonNode params = attributes.path("params");
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> param = it.next();
            rule.set(snakeCase(param.getKey()), param.getValue());
        }
        rule.set("name", attributes.get("name"));
        if (attributes.has("tags")) {
            rule.set("tags", attributes.get("tags"));
        }
        if (attributes.path("schedule").hasNonNull("interval")) {
            rule.set("interval", attributes.path("schedule").get("interval"));
        }
        if (object.hasNonNull("id")) {
            rule.set("uuid", object.get("id"));
        }
        List<String> dropped = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> attribute = it.next();
            if (!USED_ATTRIBUTES.contains(attribute.getKey()) && !ElasticRuleFields.isEmpty(attribute.getValue())) {
                dropped.add("attributes." + attribute.getKey());
            }
        }
        // Kibana's saved-object export disables every rule it writes, so "enabled" says nothing about the rule.
        List<String> notes = attributes.has("enabled")
                ? List.of(
                        "The saved-object export marks every rule disabled; eqlwatch runs it unless you set enabled: false.")
                : List.of();
        return converter.convert(
                source, slug(name, rule.path("rule_id").asText(null)), rule, Map.of(), Map.of(), dropped, notes, null);
    }

    /** {@code riskScoreMapping} → {@code risk_score_mapping}. */
    static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A file name from the rule's name: lower case, words joined by underscores; the rule_id without one. */
    static String slug(String name, String ruleId) {
        String base = name == null
                ? ""
                : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (base.length() > 80) {
            base = base.substring(0, 80).replaceAll("_+$", "");
        }
        if (base.isEmpty()) {
            base = ruleId == null || ruleId.isBlank() ? "rule" : ruleId.replaceAll("[^A-Za-z0-9-]+", "_");
        }
        return base;
    }
}
