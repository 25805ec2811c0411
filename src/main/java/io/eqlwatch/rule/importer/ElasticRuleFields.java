package io.eqlwatch.rule.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts an Elastic rule in its snake_case shape (the {@code [rule]} table of a detection-rules
 * TOML file, or a rule of the Kibana rules API) into eqlwatch's rule YAML fields. Every field that
 * eqlwatch gives a meaning is kept, in the order eqlwatch's own rule files use; every other field
 * that carries a value is listed as dropped.
 */
final class ElasticRuleFields {

    /** The keys eqlwatch reads, in the order they are written (the query last: it is the long one). */
    static final List<String> KEPT = List.of(
            "rule_id",
            "uuid",
            "name",
            "description",
            "version",
            "author",
            "license",
            "type",
            "language",
            "index",
            "severity",
            "risk_score",
            "interval",
            "from",
            "to",
            "max_signals",
            "enabled",
            "timestamp_override",
            "event_category_override",
            "tiebreaker_field",
            "tags",
            "threat",
            "references",
            "false_positives",
            "note",
            "setup",
            "exceptions_list",
            "filters",
            "alert_suppression",
            "building_block_type",
            "risk_score_mapping",
            "severity_mapping",
            "rule_name_override",
            "investigation_fields",
            "timeline_id",
            "timeline_title",
            "related_integrations",
            "required_fields",
            "query");

    /** Kept even when empty: the loader requires them, and an empty one is for it to report. */
    private static final Set<String> REQUIRED =
            Set.of("rule_id", "name", "description", "type", "index", "query", "severity", "risk_score");

    private static final Set<String> THREAT_KEYS = Set.of("framework", "tactic", "technique");
    private static final Set<String> REFERENCE_KEYS = Set.of("id", "name", "reference");
    private static final Set<String> TECHNIQUE_KEYS = Set.of("id", "name", "reference", "subtechnique");

    /** Kibana's defaults, written out so that the schedule is visible and editable in the file. */
    static final String DEFAULT_INTERVAL = "5m";

    static final String DEFAULT_FROM = "now-6m";
    static final int DEFAULT_MAX_SIGNALS = 100;

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    /**
     * @param rule     the rule's fields in snake_case
     * @param renamed  source keys that mean an eqlwatch key under another name (the rules API's
     *                 {@code id} is eqlwatch's {@code uuid}); the source name is what "dropped" reports
     * @param extras   fields found outside the rule that are kept (version from metadata, ...), already in
     *                 eqlwatch's names
     * @param dropped  fields already known to be dropped (metadata, saved-object attributes), added to
     * @param notes    header notes already known
     * @param disabledBecause when not null, the rule is written with {@code enabled: false} and this comment
     */
    ImportOutcome convert(
            String source,
            String fileStem,
            JsonNode rule,
            Map<String, String> renamed,
            Map<String, JsonNode> extras,
            List<String> dropped,
            List<String> notes,
            String disabledBecause) {
        String name = rule.path("name").asText(null);
        String type = rule.path("type").asText(null);
        if (type == null) {
            return new ImportOutcome.Skipped(source, name, "no rule type: an eqlwatch rule must be of type eql");
        }
        if (!type.equals("eql")) {
            return new ImportOutcome.Skipped(source, name, "type '" + type + "' is not an EQL rule");
        }
        String language = rule.path("language").asText(null);
        if (language != null && !language.equals("eql")) {
            return new ImportOutcome.Skipped(source, name, "language '" + language + "' is not EQL");
        }
        if (isEmpty(rule.get("index")) && !isEmpty(rule.get("data_view_id"))) {
            return new ImportOutcome.Skipped(
                    source,
                    name,
                    "reads the data view '" + rule.get("data_view_id").asText()
                            + "' instead of index patterns; eqlwatch needs index patterns (set index and import again)");
        }

        Map<String, JsonNode> kept = new LinkedHashMap<>();
        List<String> allDropped = new ArrayList<>(dropped);
        for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = renamed.getOrDefault(field.getKey(), field.getKey());
            JsonNode value = field.getValue();
            if (!KEPT.contains(key)) {
                if (!isEmpty(value)) {
                    allDropped.add(field.getKey());
                }
            } else if (key.equals("threat")) {
                kept.put(key, threats(value, allDropped));
            } else if (REQUIRED.contains(key) || !isEmpty(value)) {
                kept.put(key, value.deepCopy());
            }
        }
        extras.forEach(kept::putIfAbsent);

        Map<String, String> comments = new LinkedHashMap<>();
        if (!kept.containsKey("interval")) {
            kept.put("interval", nodes.textNode(DEFAULT_INTERVAL));
            comments.put("interval", "Kibana's default; the source does not set it");
        }
        if (!kept.containsKey("from")) {
            kept.put("from", nodes.textNode(DEFAULT_FROM));
            comments.put("from", "Kibana's default; the source does not set it");
        }
        if (disabledBecause != null) {
            kept.put("enabled", nodes.booleanNode(false));
            comments.put("enabled", disabledBecause);
        }
        if (!kept.containsKey("max_signals")) {
            kept.put("max_signals", nodes.numberNode(DEFAULT_MAX_SIGNALS));
            comments.put("max_signals", "Kibana's default; the source does not set it");
        }

        ObjectNode fields = nodes.objectNode();
        for (String key : KEPT) {
            JsonNode value = kept.get(key);
            if (value != null) {
                fields.set(key, value);
            }
        }
        return new ImportOutcome.Converted(new ImportedRule(source, fileStem, fields, comments, allDropped, notes));
    }

    /** MITRE ATT&CK mappings with the keys eqlwatch (and Kibana's alert schema) knows; the rest reported. */
    private JsonNode threats(JsonNode value, List<String> dropped) {
        if (!value.isArray()) {
            return value.deepCopy(); // not a list: left for the loader to report with its position
        }
        ArrayNode out = nodes.arrayNode();
        for (JsonNode threat : value) {
            if (!threat.isObject()) {
                out.add(threat.deepCopy());
                continue;
            }
            ObjectNode copy = nodes.objectNode();
            keep(threat, "framework", copy);
            JsonNode tactic = threat.get("tactic");
            if (tactic != null) {
                copy.set("tactic", reference(tactic, "threat.tactic", REFERENCE_KEYS, dropped));
            }
            JsonNode techniques = threat.get("technique");
            if (techniques != null && techniques.isArray() && !techniques.isEmpty()) {
                ArrayNode techniqueList = copy.putArray("technique");
                for (JsonNode technique : techniques) {
                    ObjectNode t = reference(technique, "threat.technique", TECHNIQUE_KEYS, dropped);
                    JsonNode subs = technique.get("subtechnique");
                    t.remove("subtechnique");
                    if (subs != null && subs.isArray() && !subs.isEmpty()) {
                        ArrayNode subList = t.putArray("subtechnique");
                        for (JsonNode sub : subs) {
                            subList.add(reference(sub, "threat.technique.subtechnique", REFERENCE_KEYS, dropped));
                        }
                    }
                    techniqueList.add(t);
                }
            }
            reportUnknown(threat, "threat", THREAT_KEYS, dropped);
            out.add(copy);
        }
        return out;
    }

    private ObjectNode reference(JsonNode node, String path, Set<String> known, List<String> dropped) {
        ObjectNode copy = nodes.objectNode();
        if (!node.isObject()) {
            return copy;
        }
        for (String key : List.of("id", "name", "reference")) {
            keep(node, key, copy);
        }
        if (known.contains("subtechnique") && node.has("subtechnique")) {
            copy.set("subtechnique", node.get("subtechnique"));
        }
        reportUnknown(node, path, known, dropped);
        return copy;
    }

    private static void keep(JsonNode from, String key, ObjectNode to) {
        JsonNode value = from.get(key);
        if (value != null && !value.isNull()) {
            to.set(key, value.deepCopy());
        }
    }

    private static void reportUnknown(JsonNode node, String path, Set<String> known, List<String> dropped) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!known.contains(field.getKey()) && !isEmpty(field.getValue())) {
                String name = path + "." + field.getKey();
                if (!dropped.contains(name)) {
                    dropped.add(name);
                }
            }
        }
    }

    /** Null, an empty text, list or table: nothing is lost by leaving it out. */
    static boolean isEmpty(JsonNode value) {
        return value == null
                || value.isNull()
                || (value.isTextual() && value.asText().isEmpty())
                || (value.isContainerNode() && value.isEmpty());
    }
}
