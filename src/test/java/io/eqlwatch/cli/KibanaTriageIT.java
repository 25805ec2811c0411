package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triage as Kibana's Security → Alerts page does it, on eqlwatch's alerts in the real cluster: the
 * page's default query (open alerts of the space, building blocks hidden) lists the sequence's one
 * shell alert, and Kibana's status change (security_solution's set_workflow_status_handler: an
 * update_by_query by alert id with a painless script) acknowledges and closes it. The next run must
 * not reopen or rewrite a closed alert.
 *
 * <p>The query and the script's logic are Kibana's (8.19 and 9.x alike), restated here as data.
 */
class KibanaTriageIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

    @TempDir
    Path folder;

    /** The Alerts page's query: status filter, the space (alerts-as-data authorization), building blocks hidden. */
    private static String alertsPageQuery(String status) {
        return """
                {"size": 100, "sort": [{"@timestamp": {"order": "desc"}}], "query": {"bool": {
                  "filter": [
                    {"bool": {"should": [{"term": {"kibana.alert.workflow_status": "%s"}}]}},
                    {"term": {"kibana.space_ids": "default"}},
                    {"range": {"@timestamp": {"gte": "%s", "lte": "%s"}}}
                  ],
                  "must_not": [{"exists": {"field": "kibana.alert.building_block_type"}}]
                }}}"""
                .formatted(status, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    }

    /**
     * Kibana's status change, as its painless script does it: the script acts only when
     * {@code ctx._source['kibana.alert.workflow_status']} is not null, a lookup of that exact key in
     * the stored document (an alert that nested the field under {@code kibana.alert} objects would be
     * silently left open), then sets the status, its time and user, and the reason or removes it.
     * update_by_query and painless are modules the integ-test-zip leaves out, so the test checks the
     * script's condition on the stored source and applies its effect as a partial update.
     */
    private static void setStatusAsKibanaDoes(SmbRuleFixture fixture, String id, String status, String reason)
            throws IOException {
        ObjectNode stored = fixture.es
                .client()
                .get(g -> g.index(fixture.alertsIndex).id(id), ObjectNode.class)
                .source();
        assertTrue(
                stored.has("kibana.alert.workflow_status"),
                "Kibana's script finds the status under its flat key in _source: " + stored.fieldNames());
        ObjectNode change = JsonNodeFactory.instance
                .objectNode()
                .put("kibana.alert.workflow_status", status)
                .putNull("kibana.alert.workflow_user")
                .put(
                        "kibana.alert.workflow_status_updated_at",
                        NOW.plusSeconds(60).toString());
        if (reason != null) {
            change.put("kibana.alert.workflow_reason", reason);
        }
        fixture.es
                .client()
                .update(u -> u.index(fixture.alertsIndex).id(id).doc(change).refresh(Refresh.True), ObjectNode.class);
    }

    @Test
    void theShellAlertIsListedAcknowledgedAndClosedAsKibanaDoesItAndStaysClosed() throws IOException {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        Scenario attack = new DefendEventGenerator(23).attack(NOW.minus(Duration.ofMinutes(3)));
        fixture.indexScenarios(List.of(attack));
        CommandRun first = fixture.once(NOW.toString());
        assertEquals(1, first.count("alerts written"), first.toString());

        List<Hit<ObjectNode>> open = search(fixture, alertsPageQuery("open"));
        assertEquals(1, open.size(), "the Alerts page lists the sequence once, its building blocks hidden");
        Hit<ObjectNode> shell = open.get(0);
        assertEquals(
                "Potential Lateral Tool Transfer via SMB Share",
                shell.source().path("kibana.alert.rule.name").asText());
        assertEquals(attack.hostId(), shell.source().path("host").path("id").asText());

        setStatusAsKibanaDoes(fixture, shell.id(), "acknowledged", null);
        assertEquals(1, search(fixture, alertsPageQuery("acknowledged")).size());
        assertTrue(search(fixture, alertsPageQuery("open")).isEmpty());

        setStatusAsKibanaDoes(fixture, shell.id(), "closed", "false_positive");
        List<Hit<ObjectNode>> closed = search(fixture, alertsPageQuery("closed"));
        assertEquals(1, closed.size());
        assertEquals(
                "false_positive",
                closed.get(0).source().path("kibana.alert.workflow_reason").asText());
        assertEquals(
                NOW.plusSeconds(60).toString(),
                closed.get(0)
                        .source()
                        .path("kibana.alert.workflow_status_updated_at")
                        .asText());

        CommandRun again = fixture.once(NOW.plus(Duration.ofMinutes(1)).toString());
        assertEquals(0, again.count("alerts written"), again.toString());
        assertEquals(1, again.count("duplicates skipped"), again.toString());
        assertEquals(1, search(fixture, alertsPageQuery("closed")).size(), "the next run leaves a closed alert closed");
        assertFalse(search(fixture, alertsPageQuery("closed"))
                .get(0)
                .source()
                .path("kibana.alert.workflow_reason")
                .isMissingNode());
        assertTrue(search(fixture, alertsPageQuery("open")).isEmpty(), "and writes no second, open copy");
    }

    private static List<Hit<ObjectNode>> search(SmbRuleFixture fixture, String body) throws IOException {
        fixture.es.refresh(fixture.alertsIndex);
        return fixture.es
                .client()
                .search(
                        SearchRequest.of(s -> s.index(fixture.alertsIndex).withJson(new StringReader(body))),
                        ObjectNode.class)
                .hits()
                .hits();
    }
}
