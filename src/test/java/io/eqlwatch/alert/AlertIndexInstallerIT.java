package io.eqlwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.indices.get_alias.IndexAliases;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertIndexInstallerIT {

    private static final ElasticsearchHarness es = ElasticsearchHarness.shared();
    private final ElasticsearchClient client = es.client();

    private AlertIndexSettings freshSettings() {
        return AlertIndexSettings.named(es.uniqueIndexName("eqlwatch-alerts"));
    }

    @Test
    void installingTwiceLeavesOneTemplateOneIndexAndTheWriteAlias() throws IOException {
        AlertIndexSettings settings = freshSettings();
        AlertIndexInstaller installer = new AlertIndexInstaller(client, settings);
        AlertIndexInstaller.Result first = installer.install();
        AlertIndexInstaller.Result second = new AlertIndexInstaller(client, settings).install();
        assertEquals(first.lifecycleAttached(), second.lifecycleAttached());

        Map<String, IndexAliases> aliases =
                client.indices().getAlias(a -> a.name(settings.name())).result();
        assertEquals(Set.of(settings.firstIndex()), aliases.keySet(), "exactly one index behind the alias");
        assertEquals(
                Boolean.TRUE,
                aliases.get(settings.firstIndex())
                        .aliases()
                        .get(settings.name())
                        .isWriteIndex());
        var templates = client.indices()
                .getIndexTemplate(t -> t.name(settings.templateName()))
                .indexTemplates();
        assertEquals(1, templates.size());
        assertEquals(
                List.of(settings.indexPattern()),
                templates.get(0).indexTemplate().indexPatterns());
        assertEquals(
                (long) AlertIndexInstaller.TEMPLATE_VERSION,
                templates.get(0).indexTemplate().version());

        // The template's settings survive the client's typed model and reach the index.
        var index = client.indices()
                .getSettings(s -> s.index(settings.firstIndex()))
                .get(settings.firstIndex())
                .settings()
                .index();
        assertEquals("0-1", index.autoExpandReplicas());
        assertEquals("3000", index.mapping().totalFields().limit());
        assertEquals(Boolean.TRUE, index.mapping().ignoreMalformed());
    }

    @Test
    void theLifecyclePolicyIsAttachedOrItsAbsenceIsReported() throws IOException {
        AlertIndexSettings settings = freshSettings().withLifecycle("1gb", "7d", "30d");
        AlertIndexInstaller.Result result = new AlertIndexInstaller(client, settings).install();
        var indexSettings = client.indices()
                .getSettings(s -> s.index(settings.firstIndex()))
                .get(settings.firstIndex())
                .settings();
        if (result.lifecycleAttached()) {
            var policy = client.ilm()
                    .getLifecycle(l -> l.name(settings.lifecyclePolicy()))
                    .get(settings.lifecyclePolicy())
                    .policy();
            assertEquals("30d", policy.phases().delete().minAge().time());
            assertEquals(
                    settings.lifecyclePolicy(),
                    indexSettings.index().lifecycle().name());
            assertEquals(List.of(), result.warnings());
        } else {
            // The integ-test-zip has no ILM module: the install goes on and says what that costs.
            assertEquals(1, result.warnings().size(), result.warnings().toString());
            assertTrue(
                    result.warnings().get(0).contains("no index lifecycle management"),
                    result.warnings().get(0));
            assertTrue(
                    indexSettings.index() == null || indexSettings.index().lifecycle() == null,
                    "no lifecycle setting may reference a policy that could not be installed");
        }
    }

    @Test
    void aWrittenAlertGetsTheTemplatesTypes() throws IOException {
        AlertIndexSettings settings = freshSettings();
        new AlertIndexInstaller(client, settings).install();
        AlertGroup group = new AlertBuilder(AlertFixtures.smbRule())
                .build(
                        AlertFixtures.smbMatch(
                                "types", "host-types", "WKS-TYPES", Instant.parse("2024-05-01T10:00:00Z")),
                        "exec",
                        Instant.parse("2024-05-01T10:05:00Z"));
        new AlertWriter(client, settings.name(), AlertWriter.Options.defaults().withRefreshWaitFor(true))
                .write(List.of(group));

        Map<String, Property> fields = flatten(client.indices()
                .getMapping(m -> m.index(settings.firstIndex()))
                .get(settings.firstIndex())
                .mappings()
                .properties());
        Map<String, Property.Kind> expected = Map.ofEntries(
                Map.entry("@timestamp", Property.Kind.Date),
                Map.entry("source.ip", Property.Kind.Ip),
                Map.entry("destination.ip", Property.Kind.Ip),
                Map.entry("source.port", Property.Kind.Long),
                Map.entry("destination.port", Property.Kind.Long),
                Map.entry("process.pid", Property.Kind.Long),
                Map.entry("host.name", Property.Kind.Keyword),
                Map.entry("file.Ext.header_bytes", Property.Kind.Keyword),
                Map.entry("event.kind", Property.Kind.Keyword),
                Map.entry("kibana.alert.original_time", Property.Kind.Date),
                Map.entry("kibana.alert.ancestors.depth", Property.Kind.Long),
                Map.entry("kibana.alert.ancestors.id", Property.Kind.Keyword),
                Map.entry("kibana.alert.group.index", Property.Kind.Integer),
                Map.entry("kibana.alert.risk_score", Property.Kind.Float),
                Map.entry("kibana.alert.rule.parameters", Property.Kind.Flattened),
                Map.entry("kibana.alert.rule.threat.technique.id", Property.Kind.Keyword));
        expected.forEach((field, kind) -> assertEquals(
                kind, fields.get(field) == null ? null : fields.get(field)._kind(), field));

        // The types work: a CIDR query on the ip field and a range on the date field find the alert.
        long inSubnet = client.count(c -> c.index(settings.name())
                        .query(q -> q.term(t -> t.field("source.ip").value("10.0.0.0/8"))))
                .count();
        assertEquals(1, inSubnet, "the network building block, by CIDR");
        long byTime = client.count(c -> c.index(settings.name())
                        .query(q -> q.range(r -> r.date(
                                d -> d.field("kibana.alert.original_time").gte("2024-05-01T10:00:10Z")))))
                .count();
        assertEquals(1, byTime, "the file building block, by original time");
    }

    @Test
    void aConcreteIndexUnderTheAliasNameIsReportedWithAFix() throws IOException {
        AlertIndexSettings settings = freshSettings();
        es.createIndex(settings.name(), ElasticsearchHarness.json("{\"properties\": {}}"));
        try {
            AlertIndexException error =
                    assertThrows(AlertIndexException.class, () -> new AlertIndexInstaller(client, settings).install());
            assertTrue(
                    error.getMessage().contains("'" + settings.name() + "' exists as an index, not as the alias"),
                    error.getMessage());
        } finally {
            es.deleteIndices(settings.name());
        }
    }

    @Test
    void kibanasIndexIsOnlyCheckedAndItsAbsenceExplained() throws IOException {
        String space = es.uniqueIndexName("space").replace('.', '-');
        AlertIndexSettings kibana = AlertIndexSettings.kibana(space);
        AlertIndexException missing =
                assertThrows(AlertIndexException.class, () -> new AlertIndexInstaller(client, kibana).install());
        assertTrue(
                missing.getMessage().contains("does not exist yet")
                        && missing.getMessage().contains(space),
                missing.getMessage());

        String concrete = ".internal" + kibana.name() + "-000001";
        client.indices().create(c -> c.index(concrete).aliases(kibana.name(), a -> a.isWriteIndex(true)));
        try {
            AlertIndexInstaller.Result result = new AlertIndexInstaller(client, kibana).install();
            assertFalse(result.lifecycleAttached());
            assertFalse(
                    client.indices()
                            .existsIndexTemplate(t -> t.name(kibana.name()))
                            .value(),
                    "nothing is installed for Kibana's index");
            AlertGroup group = new AlertBuilder(AlertFixtures.smbRule(), space)
                    .build(
                            AlertFixtures.smbMatch("kibana", "host-k", "WKS-K", Instant.parse("2024-05-01T10:00:00Z")),
                            "exec",
                            Instant.parse("2024-05-01T10:05:00Z"));
            WriteResult summary = new AlertWriter(
                            client,
                            kibana.name(),
                            AlertWriter.Options.defaults().withRefreshWaitFor(true))
                    .write(List.of(group));
            assertEquals(3, summary.writtenDocuments());
            assertEquals(3, client.count(c -> c.index(kibana.name())).count());
            var shell =
                    client.get(g -> g.index(concrete).id(group.id()), com.fasterxml.jackson.databind.JsonNode.class);
            assertEquals(
                    "[\"" + space + "\"]",
                    shell.source().get("kibana.space_ids").toString());
        } finally {
            es.deleteIndices(concrete);
        }
    }

    private static Map<String, Property> flatten(Map<String, Property> properties) {
        Map<String, Property> out = new java.util.TreeMap<>();
        flatten("", properties, out);
        return out;
    }

    private static void flatten(String prefix, Map<String, Property> properties, Map<String, Property> out) {
        properties.forEach((name, property) -> {
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            out.put(path, property);
            if (property.isObject()) {
                flatten(path, property.object().properties(), out);
            }
        });
    }
}
