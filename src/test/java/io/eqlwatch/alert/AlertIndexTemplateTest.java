package io.eqlwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.engine.Match;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertIndexTemplateTest {

    private static final Instant AT = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void everyFieldTheBuilderWritesHasAnExplicitMapping() {
        Map<String, String> mapped = TemplateMappings.mappedTypes();
        List<AlertDocument> documents = new ArrayList<>(new AlertBuilder(AlertFixtures.smbRule())
                .build(AlertFixtures.smbMatch("1", "h", "H", AT), "x", AT)
                .documents());
        documents.add(new AlertBuilder(AlertFixtures.eventRule())
                .build(new Match(List.of(AlertFixtures.fileEvent("f", "h", "H", AT)), List.of()), "x", AT)
                .primary());
        List<String> unmapped = new ArrayList<>();
        for (AlertDocument document : documents) {
            for (String path : DocumentFields.leafPaths(document.source())) {
                if (TemplateMappings.typeOf(mapped, path) == null && !unmapped.contains(path)) {
                    unmapped.add(path);
                }
            }
        }
        assertEquals(List.of(), unmapped, "fields written by AlertBuilder but not mapped by the template");
    }

    @Test
    void fieldsHaveKibanasTypes() {
        Map<String, String> mapped = TemplateMappings.mappedTypes();
        Map<String, String> expected = Map.ofEntries(
                Map.entry("@timestamp", "date"),
                Map.entry("kibana.alert.original_time", "date"),
                Map.entry("kibana.alert.intended_timestamp", "date"),
                Map.entry("kibana.alert.uuid", "keyword"),
                Map.entry("kibana.alert.group.id", "keyword"),
                Map.entry("kibana.alert.group.index", "integer"),
                Map.entry("kibana.alert.depth", "long"),
                Map.entry("kibana.alert.ancestors.depth", "long"),
                Map.entry("kibana.alert.ancestors.id", "keyword"),
                Map.entry("kibana.alert.risk_score", "float"),
                Map.entry("kibana.alert.rule.max_signals", "long"),
                Map.entry("kibana.alert.rule.parameters", "flattened"),
                Map.entry("kibana.alert.rule.threat.technique.subtechnique.id", "keyword"),
                Map.entry("kibana.alert.original_event.ingested", "date"),
                Map.entry("kibana.alert.workflow_status_updated_at", "date"),
                Map.entry("source.ip", "ip"),
                Map.entry("destination.ip", "ip"),
                Map.entry("host.ip", "ip"),
                Map.entry("source.port", "long"),
                Map.entry("destination.port", "long"),
                Map.entry("process.pid", "long"),
                Map.entry("file.size", "long"),
                Map.entry("host.name", "keyword"),
                Map.entry("event.ingested", "date"));
        expected.forEach((field, type) -> assertEquals(type, mapped.get(field), field));
    }

    @Test
    void theLifecycleIsAttachedOnlyWhenIlmIsInUse() {
        AlertIndexSettings settings = AlertIndexSettings.defaults();
        ObjectNode with = AlertIndexInstaller.templateBody(settings, true);
        assertEquals(
                "eqlwatch-alerts-default-policy",
                with.at("/settings/index/lifecycle/name").asText());
        assertEquals(
                "eqlwatch-alerts-default",
                with.at("/settings/index/lifecycle/rollover_alias").asText());
        assertTrue(AlertIndexInstaller.templateBody(settings, false)
                .at("/settings/index/lifecycle")
                .isMissingNode());
    }

    @Test
    void thePolicyRollsOverAndDeletesWithTheConfiguredValues() {
        ObjectNode policy = AlertIndexInstaller.lifecyclePolicy(
                AlertIndexSettings.defaults().withLifecycle("10gb", "7d", "90d"));
        assertEquals(
                "10gb",
                policy.at("/phases/hot/actions/rollover/max_primary_shard_size").asText());
        assertEquals("7d", policy.at("/phases/hot/actions/rollover/max_age").asText());
        assertEquals("90d", policy.at("/phases/delete/min_age").asText());
        assertTrue(policy.at("/phases/delete/actions/delete").isObject());

        ObjectNode keepForever = AlertIndexInstaller.lifecyclePolicy(
                AlertIndexSettings.defaults().withLifecycle("10gb", null, null));
        assertTrue(keepForever.at("/phases/delete").isMissingNode());
        assertTrue(keepForever.at("/phases/hot/actions/rollover/max_age").isMissingNode());
    }

    @Test
    void settingsNameTheAliasIndicesAndTemplate() {
        AlertIndexSettings settings = AlertIndexSettings.named("soc-alerts");
        assertEquals("soc-alerts", settings.templateName());
        assertEquals("soc-alerts-*", settings.indexPattern());
        assertEquals("soc-alerts-000001", settings.firstIndex());
        AlertIndexSettings kibana = AlertIndexSettings.kibana("soc");
        assertEquals(".alerts-security.alerts-soc", kibana.name());
        assertTrue(kibana.kibanaIndex());
        assertFalse(AlertIndexSettings.defaults().kibanaIndex());
    }

    @Test
    void kibanasIndexNameSelectsKibanaMode() {
        AlertIndexSettings kibana = AlertIndexSettings.forIndex(".alerts-security.alerts-soc");
        assertTrue(kibana.kibanaIndex());
        assertEquals("soc", kibana.spaceId());
        assertEquals(AlertIndexSettings.defaults(), AlertIndexSettings.forIndex("eqlwatch-alerts-default"));
        assertThrows(IllegalArgumentException.class, () -> AlertIndexSettings.forIndex(".my-alerts"));
    }

    @Test
    void badSettingsAreRefusedWithTheValueAndTheExpectedShape() {
        IllegalArgumentException name =
                assertThrows(IllegalArgumentException.class, () -> AlertIndexSettings.named("Alerts"));
        assertTrue(name.getMessage().contains("'Alerts'"), name.getMessage());
        IllegalArgumentException age = assertThrows(IllegalArgumentException.class, () -> AlertIndexSettings.defaults()
                .withLifecycle("50gb", "a month", null));
        assertTrue(age.getMessage().contains("'a month'") && age.getMessage().contains("30d"), age.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AlertIndexSettings.kibana("My Space"));
    }
}
