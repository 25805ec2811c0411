package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch._types.Refresh;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.GeneratedEvent;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SOC tuning the shipped SMB rule, against a real Elasticsearch: exceptions from a value list,
 * an expired exception, exceptions next to a missing-event stage, alert suppression, a
 * building-block rule.
 */
class TuningIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private static final String SOURCE_IP_IN_BACKUP_SERVERS =
            """
            exceptions:
              - name: Backup servers push agents over SMB
                description: The backup team's servers copy their agent to every host nightly.
                entries:
                  - field: source.ip
                    operator: included
                    type: list
                    list:
                      id: backup-servers
                      type: ip
            """;

    private static String sourceIp(Scenario scenario) {
        return scenario.events().stream()
                .filter(e -> e.document().containsKey("source"))
                .map(e -> ((Map<?, ?>) e.document().get("source")).get("ip").toString())
                .findFirst()
                .orElseThrow();
    }

    private List<Scenario> attacks(SmbRuleFixture fixture, int count) {
        DefendEventGenerator generator = new DefendEventGenerator(21);
        List<Scenario> attacks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            attacks.add(generator.attack(NOW.minus(Duration.ofSeconds(480)).plusSeconds(40L * i)));
        }
        fixture.indexScenarios(attacks);
        return attacks;
    }

    private static Set<String> alertedHosts(SmbRuleFixture fixture) {
        return fixture.shellAlerts().stream()
                .map(a -> a.path("host").path("id").asText())
                .collect(Collectors.toSet());
    }

    private void writeList(SmbRuleFixture fixture, String type, String id, List<String> values) throws IOException {
        Path file = fixture.rules.resolve("lists").resolve(type).resolve(id + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# written by TuningIT\n" + String.join("\n", values) + "\n");
    }

    @Test
    void anExceptionOnSourceIpFromAValueListRemovesExactlyThoseSequences() throws IOException {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        List<Scenario> attacks = attacks(fixture, 6);
        writeList(fixture, "ip", "backup-servers", List.of(sourceIp(attacks.get(1)), sourceIp(attacks.get(4))));
        fixture.writeRule(
                SmbRuleFixture.SHIPPED_RULE, "max_signals: 100\n", "max_signals: 100\n" + SOURCE_IP_IN_BACKUP_SERVERS);

        CommandRun run = fixture.once(NOW.toString());

        assertEquals(0, run.exitCode, run.toString());
        Set<String> expected = Set.of(
                attacks.get(0).hostId(),
                attacks.get(2).hostId(),
                attacks.get(3).hostId(),
                attacks.get(5).hostId());
        assertEquals(expected, alertedHosts(fixture));
        assertEquals(4, run.count("sequences found"), run.toString());
    }

    @Test
    void anExpiredExceptionNoLongerApplies() throws IOException {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        List<Scenario> attacks = attacks(fixture, 3);
        writeList(
                fixture,
                "ip",
                "backup-servers",
                attacks.stream().map(TuningIT::sourceIp).toList());
        String expired = SOURCE_IP_IN_BACKUP_SERVERS.replace(
                "    entries:\n", "    expire_time: 2026-11-28T11:00:00Z\n    entries:\n");
        fixture.writeRule(SmbRuleFixture.SHIPPED_RULE, "max_signals: 100\n", "max_signals: 100\n" + expired);

        CommandRun run = fixture.once(NOW.toString());

        assertEquals(0, run.exitCode, run.toString());
        assertEquals(attacks.stream().map(Scenario::hostId).collect(Collectors.toSet()), alertedHosts(fixture));
    }

    @Test
    void anExceptionMatchingAMissingStagesEventsCreatesNoAlert() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        DefendEventGenerator generator = new DefendEventGenerator(33);
        Scenario transfer = generator.attack(NOW.minus(Duration.ofMinutes(4)));
        Scenario connectionOnly = generator.attack(NOW.minus(Duration.ofMinutes(3)));
        fixture.indexScenarios(List.of(transfer));
        fixture.index(connectionOnly.events().stream()
                .filter(e -> e.document().containsKey("source"))
                .toList());
        // "An SMB connection that did NOT write an executable", and an exception on every file event.
        fixture.writeRule(
                SmbRuleFixture.SHIPPED_RULE,
                "    [file where host.os.type",
                "    ![file where host.os.type",
                "max_signals: 100\n",
                """
                        max_signals: 100
                        exceptions:
                          - name: File events are expected
                            entries:
                              - field: event.category
                                operator: included
                                type: match
                                value: file
                        """);

        CommandRun run = fixture.once(NOW.toString());

        assertEquals(0, run.exitCode, run.toString());
        assertEquals(
                Set.of(connectionOnly.hostId()),
                alertedHosts(fixture),
                "the transfer's file event still fills the missing stage; only the lone connection alerts");
    }

    @Test
    void twentyTransfersFromOneHostAreOneAlertUntilItIsClosed() throws IOException {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        Scenario template = new DefendEventGenerator(44).attack(NOW.minus(Duration.ofSeconds(500)));
        fixture.index(repeated(template, 20, NOW.minus(Duration.ofSeconds(500)), Duration.ofSeconds(25)));
        fixture.writeRule(
                SmbRuleFixture.SHIPPED_RULE,
                "max_signals: 100\n",
                """
                max_signals: 100
                alert_suppression:
                  group_by:
                    - host.id
                  duration:
                    value: 1
                    unit: h
                  missing_fields_strategy: suppress
                """);

        CommandRun first = fixture.once(NOW.toString());

        assertEquals(0, first.exitCode, first.toString());
        assertEquals(20, first.count("sequences found"), first.toString());
        List<ObjectNode> shells = fixture.shellAlerts();
        assertEquals(1, shells.size(), "one alert for the host");
        ObjectNode alert = shells.get(0);
        assertEquals(
                19,
                alert.path("kibana.alert.suppression.docs_count").asInt(),
                "Kibana's count: the 19 transfers folded into the first one's alert");
        assertEquals(
                "host.id",
                alert.path("kibana.alert.suppression.terms")
                        .get(0)
                        .path("field")
                        .asText());
        assertEquals(
                template.hostId(),
                alert.path("kibana.alert.suppression.terms")
                        .get(0)
                        .path("value")
                        .get(0)
                        .asText());
        assertTrue(Instant.parse(alert.path("kibana.alert.suppression.end").asText())
                .isAfter(Instant.parse(
                        alert.path("kibana.alert.suppression.start").asText())));
        assertEquals(3, fixture.allAlerts().size(), "the first transfer's two building blocks and its shell");

        CommandRun again = fixture.once(NOW.toString());
        assertEquals(0, again.count("alerts written"), again.toString());
        assertEquals(1, fixture.shellAlerts().size());
        assertEquals(
                19,
                fixture.shellAlerts()
                        .get(0)
                        .path("kibana.alert.suppression.docs_count")
                        .asInt(),
                "a re-run over the same window counts nothing twice");
        assertEquals(3, fixture.allAlerts().size());

        close(fixture, alert.path("kibana.alert.uuid").asText());
        fixture.index(repeated(template, 1, NOW.plus(Duration.ofMinutes(2)), Duration.ofSeconds(25)));
        CommandRun later = fixture.once(NOW.plus(Duration.ofMinutes(5)).toString());

        assertEquals(0, later.exitCode, later.toString());
        assertEquals(1, later.count("alerts written"), later.toString());
        List<ObjectNode> after = fixture.shellAlerts();
        assertEquals(2, after.size(), "a closed alert absorbs nothing: the next transfer is a new alert");
        Map<String, Integer> counts = after.stream()
                .collect(Collectors.toMap(
                        a -> a.path("kibana.alert.workflow_status").asText(),
                        a -> a.path("kibana.alert.suppression.docs_count").asInt()));
        assertEquals(Map.of("closed", 19, "open", 0), counts);
    }

    @Test
    void aBuildingBlockRuleWritesBuildingBlocksOnly() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        attacks(fixture, 2);
        fixture.writeRule(
                SmbRuleFixture.SHIPPED_RULE, "max_signals: 100\n", "max_signals: 100\nbuilding_block_type: default\n");

        CommandRun run = fixture.once(NOW.toString());

        assertEquals(0, run.exitCode, run.toString());
        assertEquals(6, fixture.allAlerts().size());
        assertEquals(List.of(), fixture.shellAlerts(), "Kibana's Alerts page, which hides building blocks, shows none");
        assertTrue(fixture.allAlerts().stream()
                .allMatch(
                        a -> a.path("kibana.alert.building_block_type").asText().equals("default")));
        assertTrue(fixture.allAlerts().stream().allMatch(a -> a.path("kibana.alert.rule.parameters")
                .path("building_block_type")
                .asText()
                .equals("default")));
    }

    @Test
    void aKibanaExceptionListExportImportedAndReferencedAppliesToTheRule() throws IOException {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        List<Scenario> attacks = attacks(fixture, 3);
        Path export = folder.resolve("exception_lists.ndjson");
        Files.writeString(
                export,
                String.join(
                                "\n",
                                "{\"list_id\":\"smb-senders\",\"name\":\"Known SMB senders\",\"description\":\"Deployment\","
                                        + "\"type\":\"detection\",\"namespace_type\":\"single\",\"os_types\":[],"
                                        + "\"created_by\":\"soc\",\"id\":\"a1\"}",
                                "{\"list_id\":\"smb-senders\",\"item_id\":\"sccm\",\"name\":\"SCCM server\",\"description\":\"\","
                                        + "\"type\":\"simple\",\"namespace_type\":\"single\",\"entries\":[{\"field\":\"source.ip\","
                                        + "\"operator\":\"included\",\"type\":\"match_any\",\"value\":[\""
                                        + sourceIp(attacks.get(2))
                                        + "\"]}],\"created_by\":\"soc\",\"id\":\"b1\"}",
                                "{\"exported_exception_list_count\":1,\"exported_exception_list_item_count\":1}")
                        + "\n");

        CommandRun imported = CommandRun.of("import", export.toString(), "--to", fixture.rules.toString());
        assertEquals(0, imported.exitCode, imported.toString());
        assertTrue(Files.exists(fixture.rules.resolve("exceptions/smb-senders.yml")), imported.toString());
        fixture.writeRule(
                SmbRuleFixture.SHIPPED_RULE,
                "max_signals: 100\n",
                """
                max_signals: 100
                exceptions_list:
                  - {id: a1, list_id: smb-senders, type: detection, namespace_type: single}
                """);
        CommandRun run = fixture.once(NOW.toString());

        assertEquals(0, run.exitCode, run.toString());
        assertEquals(Set.of(attacks.get(0).hostId(), attacks.get(1).hostId()), alertedHosts(fixture));
        assertEquals(
                "smb-senders",
                fixture.shellAlerts()
                        .get(0)
                        .path("kibana.alert.rule.parameters")
                        .path("exceptions_list")
                        .get(0)
                        .path("list_id")
                        .asText());
    }

    /** The scenario's two events again and again, {@code spacing} apart, as new documents. */
    private static List<GeneratedEvent> repeated(Scenario scenario, int times, Instant start, Duration spacing) {
        List<GeneratedEvent> out = new ArrayList<>();
        Instant first = scenario.events().get(0).timestamp();
        for (int i = 0; i < times; i++) {
            Duration shift = Duration.between(first, start.plus(spacing.multipliedBy(i)));
            for (GeneratedEvent event : scenario.events()) {
                Map<String, Object> copy = JSON.convertValue(event.document(), new TypeReference<>() {});
                Instant at = event.timestamp().plus(shift);
                copy.put("@timestamp", at.toString());
                out.add(new GeneratedEvent(event.dataset(), at, copy));
            }
        }
        return out;
    }

    private static void close(SmbRuleFixture fixture, String alertId) throws IOException {
        fixture.es
                .client()
                .update(
                        u -> u.index(fixture.alertsIndex)
                                .id(alertId)
                                .refresh(Refresh.True)
                                .doc(Map.of("kibana.alert.workflow_status", "closed")),
                        ObjectNode.class);
    }
}
