package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.alert.DocumentFields;
import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.testing.ElasticsearchHarness;
import io.eqlwatch.testing.KibanaAlertTemplates;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * eqlwatch writing into Kibana's own Security alerts index, set up from Kibana's 8.19 and 9.x
 * alerts-as-data templates (test resources kibana-alerts-as-data/) as Kibana's alerting framework
 * sets it up, and then read and updated the way the Security app does: the Alerts page's table
 * and charts, the status change, "Investigate in timeline" for an EQL sequence, and Cases.
 * Kibana's requests are restated as data, each citing the Kibana source it comes from.
 */
class KibanaAlertsIndexIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final List<String> SETS = KibanaAlertTemplates.SETS;

    /** Kibana copies these rule settings into the alert too, under names its templates do not map. */
    private static final Set<String> RULE_COPIES_IN_SOURCE_ONLY =
            Set.of("kibana.alert.rule.indices", "kibana.alert.rule.risk_score", "kibana.alert.rule.severity");

    @TempDir
    Path folder;

    private KibanaAlertTemplates.Installed installed;

    private record Setup(KibanaAlertTemplates kibana, String space, SmbRuleFixture fixture, Scenario attack) {
        String alias() {
            return ".alerts-security.alerts-" + space;
        }

        String writeIndex() {
            return ".internal.alerts-security.alerts-" + space + "-000001";
        }
    }

    private Setup start(String set) throws IOException {
        KibanaAlertTemplates kibana = KibanaAlertTemplates.of(set);
        String space = "eqlw-" + set.replace(".", "") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        installed = kibana.install(ES.client(), space);
        System.out.println("Kibana " + set + " templates installed for space " + space + "; stand-ins for what the "
                + "Elasticsearch " + ES.serverVersion() + " lacks: " + installed.standIns());
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder, installed.alias());
        Scenario attack = new DefendEventGenerator(31).attack(NOW.minus(Duration.ofMinutes(3)));
        fixture.indexScenarios(List.of(attack));
        return new Setup(kibana, space, fixture, attack);
    }

    @AfterEach
    void removeTheSpaceIndex() throws IOException {
        if (installed != null) {
            KibanaAlertTemplates.uninstall(ES.client(), installed);
        }
    }

    @ParameterizedTest(name = "Kibana {0}")
    @FieldSource("SETS")
    void kibanasIndexTakesEveryAlertAndKibanasTemplatesStayKibanas(String set) throws IOException {
        Setup setup = start(set);
        ElasticsearchClient client = ES.client();
        String componentsBefore = componentTemplates(client);
        String indexTemplateBefore = indexTemplate(client, installed.indexTemplate());
        JsonNode mappingBefore = mappingOf(client, setup.writeIndex());

        CommandRun run = setup.fixture().once(NOW.toString());
        assertEquals(0, run.exitCode, run.toString());
        assertEquals(1, run.count("alerts written"), run.toString());

        List<Hit<ObjectNode>> all = search(setup, "{\"size\": 100, \"query\": {\"match_all\": {}}}");
        assertEquals(3, all.size(), "the sequence's shell alert and its two building blocks");
        for (Hit<ObjectNode> hit : all) {
            assertEquals(setup.writeIndex(), hit.index(), "written through Kibana's write alias");
        }

        // With index.mapping.ignore_malformed a value of the wrong type would be dropped silently;
        // Elasticsearch lists such fields in _ignored.
        assertEquals(
                0,
                count(setup, "{\"query\": {\"exists\": {\"field\": \"_ignored\"}}}"),
                "no field of an alert was ignored as malformed or too long");

        // Every field eqlwatch writes is indexed with Kibana's mapping, or (dynamic: false) kept in
        // _source only, and then only Elastic Defend's own Ext fields and rule copies Kibana keeps too.
        Map<String, JsonNode> indexed = KibanaAlertTemplates.flatten(
                mappingOf(client, setup.writeIndex()).path("properties"));
        Map<String, JsonNode> kibanas = setup.kibana().mappedFields();
        Set<String> sourceOnly = new TreeSet<>();
        for (Hit<ObjectNode> hit : all) {
            for (String path : DocumentFields.leafPaths(hit.source())) {
                if (KibanaAlertTemplates.specOf(indexed, path) == null) {
                    sourceOnly.add(path);
                    assertTrue(
                            KibanaAlertTemplates.specOf(kibanas, path) == null,
                            path + " is in Kibana's templates but not in the index");
                    assertTrue(
                            path.contains(".Ext.") || RULE_COPIES_IN_SOURCE_ONLY.contains(path),
                            path + " is neither mapped by Kibana nor one of the fields known to stay in _source");
                }
            }
        }
        assertTrue(sourceOnly.containsAll(RULE_COPIES_IN_SOURCE_ONLY), String.valueOf(sourceOnly));

        assertEquals(mappingBefore, mappingOf(client, setup.writeIndex()), "the alerts added no field to the mapping");
        assertEquals(componentsBefore, componentTemplates(client), "Kibana's component templates are untouched");
        assertEquals(
                indexTemplateBefore,
                indexTemplate(client, installed.indexTemplate()),
                "Kibana's index template is untouched");
        // The next index (after a rollover) gets Kibana's template and no other: nothing of eqlwatch's matches it.
        JsonNode simulated = simulate(client, ".internal.alerts-security.alerts-" + setup.space() + "-000002");
        assertTrue(
                simulated.at("/template/aliases").has(".siem-signals-" + setup.space()),
                "Kibana's template is the one applied: "
                        + simulated.path("template").path("aliases"));
        assertEquals(
                0, simulated.path("overlapping").size(), "no other template matches: " + simulated.path("overlapping"));
    }

    @ParameterizedTest(name = "Kibana {0}")
    @FieldSource("SETS")
    void theAlertsPageListsChartsAndTriagesTheSequence(String set) throws IOException {
        Setup setup = start(set);
        CommandRun run = setup.fixture().once(NOW.toString());
        assertEquals(1, run.count("alerts written"), run.toString());

        List<Hit<ObjectNode>> open = search(setup, alertsTableQuery(setup.space(), "open"));
        assertEquals(1, open.size(), "the Alerts table lists the sequence once, its building blocks hidden");
        Hit<ObjectNode> shell = open.get(0);
        ObjectNode alert = shell.source();
        assertEquals(
                "Potential Lateral Tool Transfer via SMB Share",
                alert.path("kibana.alert.rule.name").asText());
        assertEquals("medium", alert.path("kibana.alert.severity").asText());

        // The summary charts above the table: severity donut, rule list, host grouping
        // (security_solution public/detections/components/alerts_kpis/alerts_summary_charts_panel/aggregations.ts).
        JsonNode charts = aggregate(setup, alertsChartsQuery(setup.space()));
        assertEquals(List.of("medium=1"), buckets(charts.path("statusBySeverity")), "the severity chart: " + charts);
        assertEquals(
                List.of("Potential Lateral Tool Transfer via SMB Share=1"),
                buckets(charts.path("alertsByRule")),
                "the rule chart");
        assertEquals(
                List.of(setup.attack().hostName() + "=1"),
                buckets(charts.path("alertsByGrouping")),
                "the host.name grouping");
        assertEquals(0, charts.path("missingFields").path("doc_count").asInt(), "no alert lacks host.name");

        setStatusAsKibanaDoes(setup, shell.id(), "acknowledged", null);
        assertTrue(search(setup, alertsTableQuery(setup.space(), "open")).isEmpty());
        assertEquals(
                1,
                search(setup, alertsTableQuery(setup.space(), "acknowledged")).size());
        setStatusAsKibanaDoes(setup, shell.id(), "closed", "false_positive");
        assertEquals(1, search(setup, alertsTableQuery(setup.space(), "closed")).size());

        CommandRun again = setup.fixture().once(NOW.plus(Duration.ofMinutes(1)).toString());
        assertEquals(0, again.count("alerts written"), again.toString());
        List<Hit<ObjectNode>> closed = search(setup, alertsTableQuery(setup.space(), "closed"));
        assertEquals(1, closed.size(), "the next run leaves the closed alert closed");
        assertEquals(
                "false_positive",
                closed.get(0).source().path("kibana.alert.workflow_reason").asText());
        assertTrue(search(setup, alertsTableQuery(setup.space(), "open")).isEmpty(), "and writes no open copy");
    }

    @ParameterizedTest(name = "Kibana {0}")
    @FieldSource("SETS")
    void timelineOpensTheSequenceAndCasesFindTheAlert(String set) throws IOException {
        Setup setup = start(set);
        CommandRun run = setup.fixture().once(NOW.toString());
        assertEquals(1, run.count("alerts written"), run.toString());
        Hit<ObjectNode> shell =
                search(setup, alertsTableQuery(setup.space(), "open")).get(0);
        ObjectNode alert = shell.source();

        // "Investigate in timeline" treats an alert as an EQL sequence when its rule type is eql and
        // it has a group id, and then opens the group instead of the one alert
        // (security_solution public/detections/components/alerts_table/actions.tsx:
        // isEqlAlertWithGroupId, buildEqlDataProviderOrFilter).
        assertEquals("eql", alert.path("kibana.alert.rule.type").asText());
        String groupId = alert.path("kibana.alert.group.id").asText();
        assertFalse(groupId.isEmpty(), "the shell alert has a group id");
        List<Hit<ObjectNode>> timeline = search(setup, timelineGroupQuery(groupId));
        assertEquals(3, timeline.size(), "Timeline shows the shell alert and both building blocks");
        List<String> depths = new ArrayList<>();
        for (Hit<ObjectNode> hit : timeline) {
            depths.add(hit.source().path("kibana.alert.depth").asText() + ":"
                    + hit.source().path("kibana.alert.group.index").asText("-"));
        }
        assertEquals(List.of("1:0", "1:1", "2:-"), depths.stream().sorted().toList(), "group members by depth:index");

        // Attaching the alert to a case stores its _id, _index and rule id and name
        // (cases common/types/domain/attachment: type alert, alertId, index, rule {id, name});
        // the Security app takes the rule from kibana.alert.rule.uuid and kibana.alert.rule.name.
        String caseId = "case-" + UUID.randomUUID();
        String ruleId = alert.path("kibana.alert.rule.uuid").asText();
        String ruleName = alert.path("kibana.alert.rule.name").asText();
        assertFalse(ruleId.isEmpty());
        assertEquals(setup.writeIndex(), shell.index(), "the case stores the concrete index");
        // Cases then adds its id to the alert (rule_registry alert_data_client/alerts_client.ts
        // bulkUpdateCases: a painless append to kibana.alert.case_ids, at most 10), restated as a
        // partial update because the integ-test-zip has no painless.
        ES.client()
                .update(
                        u -> u.index(shell.index())
                                .id(shell.id())
                                .doc(JsonNodeFactory.instance
                                        .objectNode()
                                        .set(
                                                "kibana.alert.case_ids",
                                                JsonNodeFactory.instance
                                                        .arrayNode()
                                                        .add(caseId)))
                                .refresh(Refresh.True),
                        ObjectNode.class);
        // ... and reads its alerts back by _id and _index (cases server/services/alerts: mget).
        MgetResponse<ObjectNode> fetched =
                ES.client().mget(m -> m.docs(d -> d.id(shell.id()).index(shell.index())), ObjectNode.class);
        ObjectNode got = fetched.docs().get(0).result().source();
        assertNotNull(got, "Cases finds the alert by _id and _index");
        assertEquals(ruleName, got.path("kibana.alert.rule.name").asText());
        assertEquals(ruleId, got.path("kibana.alert.rule.uuid").asText());
        assertEquals(
                1,
                count(setup, "{\"query\": {\"ids\": {\"values\": [\"" + shell.id() + "\"]}}}"),
                "and through the alias by id");
        assertEquals(
                1,
                count(setup, "{\"query\": {\"term\": {\"kibana.alert.case_ids\": \"" + caseId + "\"}}}"),
                "the alert is found by its case");

        CommandRun again = setup.fixture().once(NOW.plus(Duration.ofMinutes(1)).toString());
        assertEquals(0, again.count("alerts written"), again.toString());
        assertEquals(
                1,
                count(setup, "{\"query\": {\"term\": {\"kibana.alert.case_ids\": \"" + caseId + "\"}}}"),
                "the next run keeps the alert in its case");
    }

    /**
     * The Alerts table's query for a status filter: the status and building-block filters of
     * security_solution public/detections/components/alerts_table/default_config.tsx
     * (buildAlertStatusFilter, buildShowBuildingBlockFilter: building blocks hidden by default),
     * the authorization filter, the date picker's range, newest first; the same in Kibana 8.19
     * and 9.x.
     */
    private static String alertsTableQuery(String space, String status) {
        return """
                {"size": 100, "sort": [{"@timestamp": {"order": "desc"}}], "query": {"bool": {
                  "filter": [
                    {"bool": {"should": [{"term": {"kibana.alert.workflow_status": "%s"}}], "minimum_should_match": 1}},
                    %s,
                    {"range": {"@timestamp": {"gte": "%s", "lte": "%s"}}}
                  ],
                  "must_not": [{"exists": {"field": "kibana.alert.building_block_type"}}]
                }}}"""
                .formatted(
                        status,
                        authorizationFilter(space),
                        NOW.minus(Duration.ofDays(1)),
                        NOW.plus(Duration.ofDays(1)));
    }

    /** The summary charts' request: the table's filters, no hits, Kibana's three aggregations. */
    private static String alertsChartsQuery(String space) {
        return """
                {"size": 0, "query": {"bool": {
                  "filter": [
                    {"term": {"kibana.alert.workflow_status": "open"}},
                    %s,
                    {"range": {"@timestamp": {"gte": "%s", "lte": "%s"}}}
                  ],
                  "must_not": [{"exists": {"field": "kibana.alert.building_block_type"}}]}},
                 "aggs": {
                   "statusBySeverity": {"terms": {"field": "kibana.alert.severity"}},
                   "alertsByRule": {"terms": {"field": "kibana.alert.rule.name", "size": 1000}},
                   "alertsByGrouping": {"terms": {"field": "host.name", "size": 10}},
                   "missingFields": {"missing": {"field": "host.name"}}
                 }}"""
                .formatted(authorizationFilter(space), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    }

    /**
     * What alerts-as-data authorization adds to every read of the Alerts page (alerting
     * server/authorization/alerting_authorization_kuery.ts, asFiltersByRuleTypeAndConsumer, as
     * rule_registry's alerts client applies it): for each rule type the user may read, its
     * {@code kibana.alert.rule.rule_type_id}, one of its authorized
     * {@code kibana.alert.rule.consumer}s and the space. An alert whose rule type or consumer is
     * not Security's would not be listed at all.
     */
    private static String authorizationFilter(String space) {
        List<String> perRuleType = new ArrayList<>();
        for (String ruleType : List.of(
                "siem.eqlRule",
                "siem.esqlRule",
                "siem.indicatorRule",
                "siem.mlRule",
                "siem.newTermsRule",
                "siem.queryRule",
                "siem.savedQueryRule",
                "siem.thresholdRule")) {
            perRuleType.add(
                    """
                    {"bool": {"filter": [
                      {"bool": {"should": [{"match": {"kibana.alert.rule.rule_type_id": "%s"}}], "minimum_should_match": 1}},
                      {"bool": {"should": [{"match": {"kibana.alert.rule.consumer": "siem"}}], "minimum_should_match": 1}},
                      {"bool": {"should": [{"match": {"kibana.space_ids": "%s"}}], "minimum_should_match": 1}}
                    ]}}"""
                            .formatted(ruleType, space));
        }
        return "{\"bool\": {\"should\": [" + String.join(",", perRuleType) + "], \"minimum_should_match\": 1}}";
    }

    /** Timeline's query for the data provider {@code kibana.alert.group.id : <id>} over its range. */
    private static String timelineGroupQuery(String groupId) {
        return """
                {"size": 100, "query": {"bool": {"filter": [
                  {"bool": {"should": [{"match_phrase": {"kibana.alert.group.id": "%s"}}], "minimum_should_match": 1}},
                  {"range": {"@timestamp": {"gte": "%s", "lte": "%s"}}}
                ]}}}"""
                .formatted(groupId, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    }

    /**
     * Kibana's status change (security_solution server/lib/detection_engine/routes/signals/
     * open_close_signals_route.ts and routes/common/operations/update_alerts_workflow_status.ts:
     * an update by id on the space's alerts alias with a painless script) acts only when the
     * stored _source has the flat key {@code kibana.alert.workflow_status}, then sets status, time,
     * user and reason. The integ-test-zip has neither update_by_query nor painless, so the test
     * checks the condition and applies the effect as a partial update through the alias.
     */
    private static void setStatusAsKibanaDoes(Setup setup, String id, String status, String reason) throws IOException {
        ObjectNode stored = ES.client()
                .get(g -> g.index(setup.alias()).id(id), ObjectNode.class)
                .source();
        assertTrue(stored.has("kibana.alert.workflow_status"), "the script's condition holds: " + stored.fieldNames());
        ObjectNode change = JsonNodeFactory.instance
                .objectNode()
                .put("kibana.alert.workflow_status", status)
                .put("kibana.alert.workflow_user", "analyst")
                .put(
                        "kibana.alert.workflow_status_updated_at",
                        NOW.plusSeconds(30).toString());
        if (reason != null) {
            change.put("kibana.alert.workflow_reason", reason);
        }
        ES.client().update(u -> u.index(setup.alias()).id(id).doc(change).refresh(Refresh.True), ObjectNode.class);
    }

    private static List<Hit<ObjectNode>> search(Setup setup, String body) throws IOException {
        return response(setup, body).hits().hits();
    }

    private static long count(Setup setup, String body) throws IOException {
        return response(setup, body).hits().total().value();
    }

    private static JsonNode aggregate(Setup setup, String body) throws IOException {
        String json = JsonpUtils.toJsonString(response(setup, body), ES.client()._jsonpMapper());
        ObjectNode byName = JsonNodeFactory.instance.objectNode();
        // The client serializes aggregations with typed keys, e.g. "sterms#alertsByRule".
        MAPPER.readTree(json)
                .path("aggregations")
                .fields()
                .forEachRemaining(field ->
                        byName.set(field.getKey().substring(field.getKey().indexOf('#') + 1), field.getValue()));
        return byName;
    }

    private static SearchResponse<ObjectNode> response(Setup setup, String body) throws IOException {
        ES.refresh(setup.alias());
        return ES.client()
                .search(
                        SearchRequest.of(s -> s.index(setup.alias()).withJson(new StringReader(body))),
                        ObjectNode.class);
    }

    /** {@code key=doc_count} of a terms aggregation's buckets, as a chart shows them. */
    private static List<String> buckets(JsonNode aggregation) {
        List<String> out = new ArrayList<>();
        for (JsonNode bucket : aggregation.path("buckets")) {
            out.add(bucket.path("key").asText() + "=" + bucket.path("doc_count").asLong());
        }
        return out;
    }

    private static JsonNode mappingOf(ElasticsearchClient client, String index) throws IOException {
        String json = JsonpUtils.toJsonString(
                client.indices().getMapping(m -> m.index(index)).get(index).mappings(), client._jsonpMapper());
        return MAPPER.readTree(json);
    }

    private static String componentTemplates(ElasticsearchClient client) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String name : KibanaAlertTemplates.COMPONENT_TEMPLATES) {
            out.append(JsonpUtils.toJsonString(
                    client.cluster().getComponentTemplate(c -> c.name(name)), client._jsonpMapper()));
        }
        return out.toString();
    }

    private static String indexTemplate(ElasticsearchClient client, String name) throws IOException {
        return JsonpUtils.toJsonString(client.indices().getIndexTemplate(t -> t.name(name)), client._jsonpMapper());
    }

    /** What a new index of that name would get: its settings, mappings, aliases, and other templates matching it. */
    private static JsonNode simulate(ElasticsearchClient client, String index) throws IOException {
        RestClient rest = ((RestClientTransport) client._transport()).restClient();
        Response response = rest.performRequest(new Request("POST", "/_index_template/_simulate_index/" + index));
        return MAPPER.readTree(response.getEntity().getContent());
    }
}
