package io.eqlwatch.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.tuning.ExceptionItem;
import io.eqlwatch.tuning.ExceptionItemReader;
import io.eqlwatch.tuning.KibanaFilters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the tuning keys of one rule file ({@code exceptions}, {@code exceptions_list},
 * {@code filters}, {@code alert_suppression}, {@code building_block_type} and the parameters kept
 * for Kibana), resolving shared exception lists and value lists against the tuning files.
 */
final class TuningReading {

    /** Parameters carried into {@code kibana.alert.rule.parameters}, with the JSON kind each must have. */
    static final Map<String, String> KEPT_PARAMETERS = Map.of(
            "setup",
            "text",
            "timeline_id",
            "text",
            "timeline_title",
            "text",
            "rule_name_override",
            "text",
            "investigation_fields",
            "mapping",
            "related_integrations",
            "list",
            "required_fields",
            "list",
            "risk_score_mapping",
            "list",
            "severity_mapping",
            "list");

    private static final Set<String> SUPPRESSION_KEYS = Set.of("group_by", "duration", "missing_fields_strategy");
    private static final Set<String> LIST_TYPES = Set.of("detection", "endpoint", "rule_default");

    private final JsonNode root;
    private final TuningFiles files;
    private final ExceptionItemReader.Problems problems;

    TuningReading(JsonNode root, TuningFiles files, ExceptionItemReader.Problems problems) {
        this.root = root;
        this.files = files;
        this.problems = problems;
    }

    RuleTuning tuning() {
        ExceptionItemReader reader = new ExceptionItemReader(problems, files::valueList);
        List<ExceptionItem> exceptions = new ArrayList<>(reader.items(root.get("exceptions"), "exceptions", null));
        List<JsonNode> references = new ArrayList<>();
        JsonNode lists = root.get("exceptions_list");
        if (lists != null && !lists.isNull()) {
            if (!lists.isArray()) {
                problems.report("exceptions_list", "exceptions_list must be a list of {list_id: ...} references");
            } else {
                for (int i = 0; i < lists.size(); i++) {
                    JsonNode reference = lists.get(i);
                    String path = "exceptions_list[" + i + "]";
                    String listId = reference.path("list_id").asText(null);
                    if (listId == null) {
                        problems.report(path, "an exceptions_list reference needs a list_id");
                        continue;
                    }
                    String type = reference.path("type").asText("detection");
                    if (!LIST_TYPES.contains(type)) {
                        problems.report(
                                path + ".type",
                                "exception list type '" + type + "' must be detection, endpoint or rule_default");
                    }
                    TuningFiles.SharedList shared = files.exceptionList(listId);
                    if (shared == null) {
                        problems.report(
                                path + ".list_id",
                                "no shared exception list '" + listId
                                        + "' (a file under exceptions/ next to the rules with list_id: " + listId
                                        + ")");
                        continue;
                    }
                    exceptions.addAll(shared.items());
                    references.add(reference);
                }
            }
        }
        List<JsonNode> filters = new ArrayList<>();
        JsonNode filterNode = root.get("filters");
        if (filterNode != null && !filterNode.isNull()) {
            if (!filterNode.isArray()) {
                problems.report("filters", "filters must be a list of Kibana filters ({meta: ..., query: ...})");
            } else {
                for (int i = 0; i < filterNode.size(); i++) {
                    String problem = KibanaFilters.problem(filterNode.get(i));
                    if (problem != null) {
                        problems.report("filters[" + i + "]", problem);
                    } else {
                        filters.add(filterNode.get(i));
                    }
                }
            }
        }
        String buildingBlock = root.path("building_block_type").asText(null);
        if (buildingBlock != null && !buildingBlock.equals("default")) {
            problems.report("building_block_type", "building_block_type '" + buildingBlock + "' must be default");
        }
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> kept : KEPT_PARAMETERS.entrySet()) {
            JsonNode value = root.get(kept.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            boolean fits =
                    switch (kept.getValue()) {
                        case "text" -> value.isValueNode();
                        case "list" -> value.isArray();
                        default -> value.isObject();
                    };
            if (!fits) {
                problems.report(
                        kept.getKey(),
                        kept.getKey() + " must be a " + kept.getValue()
                                + (kept.getValue().equals("text") ? " value" : ""));
            } else {
                parameters.set(kept.getKey(), value.deepCopy());
            }
        }
        return new RuleTuning(exceptions, references, filters, suppression(), buildingBlock, parameters);
    }

    private AlertSuppression suppression() {
        JsonNode node = root.get("alert_suppression");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problems.report("alert_suppression", "alert_suppression must be a mapping with group_by");
            return null;
        }
        boolean bad = false;
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!SUPPRESSION_KEYS.contains(key)) {
                problems.report(
                        "alert_suppression." + key,
                        "unknown key '" + key + "' in alert_suppression (group_by, duration, missing_fields_strategy)");
                bad = true;
            }
        }
        List<String> groupBy = new ArrayList<>();
        JsonNode fields = node.get("group_by");
        if (fields == null || !fields.isArray() || fields.isEmpty() || fields.size() > AlertSuppression.MAX_FIELDS) {
            problems.report(
                    fields == null ? "alert_suppression" : "alert_suppression.group_by",
                    "alert_suppression.group_by must list 1 to " + AlertSuppression.MAX_FIELDS + " fields");
            return null;
        }
        fields.forEach(f -> groupBy.add(f.asText()));
        Duration duration = null;
        JsonNode durationNode = node.get("duration");
        if (durationNode != null && !durationNode.isNull()) {
            String text = durationNode.isObject()
                    ? durationNode.path("value").asText()
                            + durationNode.path("unit").asText()
                    : durationNode.asText();
            try {
                duration = DurationText.parse(text);
            } catch (IllegalArgumentException e) {
                problems.report("alert_suppression.duration", "alert_suppression.duration: " + e.getMessage());
                bad = true;
            }
        }
        String strategy = node.path("missing_fields_strategy").asText("suppress");
        if (!strategy.equals("suppress") && !strategy.equals("doNotSuppress")) {
            problems.report(
                    "alert_suppression.missing_fields_strategy",
                    "missing_fields_strategy '" + strategy + "' must be suppress or doNotSuppress");
            bad = true;
        }
        return bad ? null : new AlertSuppression(groupBy, duration, strategy.equals("suppress"));
    }
}
