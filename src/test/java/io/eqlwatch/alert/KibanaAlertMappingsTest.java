package io.eqlwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.engine.Match;
import io.eqlwatch.event.FieldPath;
import io.eqlwatch.testing.KibanaAlertTemplates;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * eqlwatch's alerts against Kibana's own alerts-as-data mappings of the Security alerts index
 * (8.19 and 9.x sets, test resources kibana-alerts-as-data/), with Kibana's unaltered types:
 * what an operator writing into {@code .alerts-security.alerts-<space>} relies on.
 */
class KibanaAlertMappingsTest {

    private static final Instant AT = Instant.parse("2024-05-01T10:00:00Z");
    static final List<String> SETS = KibanaAlertTemplates.SETS;

    /**
     * Fields eqlwatch writes that Kibana's templates do not map. The index's {@code dynamic: false}
     * keeps them in {@code _source} (the alert flyout and the table, which ask for unmapped fields
     * too, show them) without indexing them, so they are neither rejected nor given a guessed type:
     * Elastic Defend's own {@code Ext} fields (Kibana's alerts keep them the same way), and three
     * {@code kibana.alert.rule.*} copies of rule settings that Kibana keeps under
     * {@code kibana.alert.rule.parameters} (flattened, mapped) and filters on as
     * {@code kibana.alert.severity} and {@code kibana.alert.risk_score}.
     */
    static final Set<String> KEPT_IN_SOURCE_ONLY = Set.of(
            "file.Ext.header_bytes",
            "kibana.alert.rule.indices",
            "kibana.alert.rule.risk_score",
            "kibana.alert.rule.severity");

    /**
     * Where eqlwatch's own template maps a field differently from Kibana: {@code wildcard} is an
     * x-pack mapper that not every cluster has, and a keyword answers the same term, prefix and
     * wildcard queries (only more slowly for leading wildcards); command lines up to 8191
     * characters are indexed, longer ones kept in {@code _source} only.
     */
    static final Map<String, String> OWN_TEMPLATE_DIFFERENCES = Map.of(
            "process.command_line", "keyword instead of wildcard",
            "process.parent.command_line", "keyword instead of wildcard",
            "url.full", "keyword instead of wildcard");

    /**
     * What the Alerts page filters, sorts and aggregates on (its default query, the severity and
     * rule-name charts, the grouping by rule, host and user, Timeline's group lookup, Cases' rule
     * reference), with the type each needs: Kibana's security_solution public/detections/components/
     * alerts_kpis/alerts_summary_charts_panel/aggregations.ts, alerts_table/default_config.tsx and
     * alerts_table/actions.tsx.
     */
    static final Map<String, String> ALERTS_PAGE_FIELDS = Map.ofEntries(
            Map.entry("@timestamp", "date"),
            Map.entry("kibana.alert.workflow_status", "keyword"),
            Map.entry("kibana.alert.building_block_type", "keyword"),
            Map.entry("kibana.space_ids", "keyword"),
            Map.entry("kibana.alert.severity", "keyword"),
            Map.entry("kibana.alert.risk_score", "float"),
            Map.entry("kibana.alert.rule.name", "keyword"),
            Map.entry("kibana.alert.rule.uuid", "keyword"),
            Map.entry("kibana.alert.group.id", "keyword"),
            Map.entry("kibana.alert.original_time", "date"),
            Map.entry("host.name", "keyword"),
            Map.entry("user.name", "keyword"),
            Map.entry("kibana.alert.workflow_status_updated_at", "date"),
            Map.entry("kibana.alert.workflow_reason", "keyword"));

    private static List<AlertDocument> documents() {
        List<AlertDocument> documents = new ArrayList<>(new AlertBuilder(AlertFixtures.smbRule())
                .build(AlertFixtures.smbMatch("1", "h", "H", AT), "x", AT)
                .documents());
        documents.add(new AlertBuilder(AlertFixtures.eventRule())
                .build(new Match(List.of(AlertFixtures.fileEvent("f", "h", "H", AT)), List.of()), "x", AT)
                .primary());
        return documents;
    }

    @ParameterizedTest
    @FieldSource("SETS")
    void everyFieldEqlwatchWritesIsMappedByKibanaOrKeptInSourceOnly(String set) {
        KibanaAlertTemplates kibana = KibanaAlertTemplates.of(set);
        Map<String, JsonNode> mapped = kibana.mappedFields();
        Set<String> unmapped = new TreeSet<>();
        for (AlertDocument document : documents()) {
            for (String path : DocumentFields.leafPaths(document.source())) {
                if (KibanaAlertTemplates.specOf(mapped, path) == null) {
                    unmapped.add(path);
                }
            }
        }
        assertEquals(new TreeSet<>(KEPT_IN_SOURCE_ONLY), unmapped, "fields Kibana " + set + " does not map");
        assertEquals("false", kibana.rootDynamic(), "unmapped fields are kept, not rejected or guessed");
    }

    @ParameterizedTest
    @FieldSource("SETS")
    void everyValueFitsKibanasType(String set) {
        Map<String, JsonNode> mapped = KibanaAlertTemplates.of(set).mappedFields();
        List<String> misfits = new ArrayList<>();
        int checked = 0;
        for (AlertDocument document : documents()) {
            for (String path : DocumentFields.leafPaths(document.source())) {
                JsonNode spec = KibanaAlertTemplates.specOf(mapped, path);
                if (spec == null) {
                    continue;
                }
                String type = spec.path("type").asText();
                for (JsonNode value : FieldPath.of(path).values(document.source())) {
                    checked++;
                    if (!fits(type, value)) {
                        misfits.add(path + " (" + type + "): " + value);
                    }
                }
            }
        }
        assertEquals(List.of(), misfits, "values Kibana " + set + "'s mapping would reject or mis-index");
        assertTrue(checked > 150, "checked " + checked + " values");
    }

    @ParameterizedTest
    @FieldSource("SETS")
    void eqlwatchsOwnTemplateGivesKibanasTypes(String set) {
        Map<String, JsonNode> kibana = KibanaAlertTemplates.of(set).mappedFields();
        Map<String, String> differences = new TreeMap<>();
        int shared = 0;
        for (Map.Entry<String, String> field : TemplateMappings.mappedTypes().entrySet()) {
            JsonNode spec = kibana.get(field.getKey());
            if (spec == null) {
                continue;
            }
            shared++;
            String theirs = spec.path("type").asText("object");
            if (!field.getValue().equals(theirs)) {
                differences.put(field.getKey(), field.getValue() + " instead of " + theirs);
            }
        }
        assertEquals(new TreeMap<>(OWN_TEMPLATE_DIFFERENCES), differences, "eqlwatch's template vs Kibana " + set);
        assertTrue(shared > 150, shared + " fields mapped by both");
    }

    @ParameterizedTest
    @FieldSource("SETS")
    void whatTheAlertsPageQueriesIsMappedForIt(String set) {
        Map<String, JsonNode> kibana = KibanaAlertTemplates.of(set).mappedFields();
        Map<String, String> ours = TemplateMappings.mappedTypes();
        ALERTS_PAGE_FIELDS.forEach((field, type) -> {
            JsonNode spec = kibana.get(field);
            assertNotNull(spec, field + " in Kibana " + set);
            assertEquals(type, spec.path("type").asText(), field + " in Kibana " + set);
            assertEquals(type, ours.get(field), field + " in eqlwatch's own template");
        });
    }

    private static boolean fits(String type, JsonNode value) {
        return switch (type) {
            case "keyword", "wildcard", "constant_keyword", "version" -> value.isTextual()
                    || value.isNumber()
                    || value.isBoolean();
            case "text", "match_only_text" -> value.isTextual();
            case "long", "integer", "short", "byte" -> value.isIntegralNumber();
            case "float", "double", "scaled_float", "half_float" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "date" -> value.isIntegralNumber() || isIsoInstant(value.asText());
            case "ip" -> value.isTextual() && isIp(value.asText());
            case "flattened" -> !value.isObject();
            default -> false;
        };
    }

    private static boolean isIsoInstant(String text) {
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isIp(String text) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
