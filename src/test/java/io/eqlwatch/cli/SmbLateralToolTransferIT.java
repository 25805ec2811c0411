package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.demo.DefendDataset;
import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.GeneratedEvent;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.demo.ScenarioKind;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped rule, end to end, the way a user runs it: Elastic Defend-shaped events in a real
 * Elasticsearch, {@code eqlwatch once}, and the alerts index read back as Kibana would read it.
 */
class SmbLateralToolTransferIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path folder;

    @Test
    void theAttackIsDetectedAndEveryBenignLookAlikeIsNot() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        DefendEventGenerator generator = new DefendEventGenerator(7);
        List<Scenario> scenarios = generator.everyScenario(NOW.minus(Duration.ofSeconds(510)), Duration.ofSeconds(25));
        fixture.indexScenarios(scenarios);
        fixture.index(generator.noise(NOW.minus(Duration.ofMinutes(9)), NOW, 400));

        CommandRun run = fixture.once(NOW.toString());

        assertEquals(0, run.exitCode, run.toString());
        Map<String, ScenarioKind> kindByHost =
                scenarios.stream().collect(Collectors.toMap(Scenario::hostId, Scenario::kind));
        Set<ScenarioKind> alerted = new TreeSet<>();
        for (ObjectNode shell : fixture.shellAlerts()) {
            alerted.add(kindByHost.get(shell.path("host").path("id").asText()));
        }
        Set<ScenarioKind> expected = scenarios.stream()
                .map(Scenario::kind)
                .filter(ScenarioKind::shouldAlert)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, alerted, "the scenarios that raised an alert");
        assertEquals(expected.size(), run.count("alerts written"), run.toString());
        assertEquals(expected.size(), run.count("sequences found"), run.toString());
    }

    @Test
    void anAlertCarriesTheRuleTheEventsAndKibanasFields() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        Scenario attack = new DefendEventGenerator(11).attack(NOW.minus(Duration.ofMinutes(3)));
        fixture.indexScenarios(List.of(attack));

        CommandRun run = fixture.once(NOW.toString());

        assertEquals(0, run.exitCode, run.toString());
        List<ObjectNode> shells = fixture.shellAlerts();
        assertEquals(1, shells.size(), run.toString());
        JsonNode shell = shells.get(0);
        assertEquals(
                "signal",
                shell.path("event").path("kind").asText(shell.path("event.kind").asText()));
        assertEquals(47, shell.path("kibana.alert.risk_score").asInt());
        assertEquals("medium", shell.path("kibana.alert.severity").asText());
        assertEquals("open", shell.path("kibana.alert.workflow_status").asText());
        assertEquals(
                "Potential Lateral Tool Transfer via SMB Share",
                shell.path("kibana.alert.rule.name").asText());
        assertEquals(
                "58bc134c-e8d2-4291-a552-b4b3e537c60b",
                shell.path("kibana.alert.rule.rule_id").asText());
        assertEquals(attack.hostId(), shell.path("host").path("id").asText());
        assertTrue(
                shell.path("kibana.alert.reason").asText().contains("created medium alert Potential Lateral Tool"),
                shell.path("kibana.alert.reason").asText());
        JsonNode ancestors = shell.path("kibana.alert.ancestors");
        List<String> eventAncestors = new ArrayList<>();
        ancestors.forEach(a -> {
            if (a.path("type").asText().equals("event")) {
                eventAncestors.add(a.path("index").asText());
                assertEquals(0, a.path("depth").asInt());
            }
        });
        assertEquals(
                List.of(fixture.networkIndex, fixture.fileIndex),
                eventAncestors,
                "the network event, then the file event, each with its concrete index");
        assertEquals(3, fixture.allAlerts().size(), "two building blocks and one shell");
    }

    @Test
    void aSecondRunOverTheOverlappingWindowWritesNoDuplicate() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        fixture.indexScenarios(List.of(new DefendEventGenerator(3).attack(NOW.minus(Duration.ofMinutes(2)))));

        CommandRun first = fixture.once(NOW.toString());
        CommandRun second = fixture.once(NOW.plus(Duration.ofMinutes(5)).toString());
        CommandRun again = fixture.once(NOW.plus(Duration.ofMinutes(5)).toString());

        assertEquals(1, first.count("alerts written"), first.toString());
        assertEquals(0, second.count("alerts written"), second.toString());
        assertEquals(1, second.count("duplicates skipped"), second.toString());
        assertEquals(0, again.count("alerts written"), again.toString());
        assertEquals(1, fixture.shellAlerts().size());
    }

    @Test
    void theCapWritesOneHundredAndTheNextRunTheRest() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        DefendEventGenerator generator = new DefendEventGenerator(5);
        List<Scenario> attacks = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            attacks.add(generator.attack(NOW.minus(Duration.ofSeconds(500)).plusSeconds(3L * i)));
        }
        fixture.indexScenarios(attacks);

        CommandRun first = fixture.once(NOW.toString());
        assertEquals(100, first.count("alerts written"), first.toString());
        assertEquals(50, first.count("dropped by cap"), first.toString());
        assertTrue(first.out.contains("This rule reached the maximum alert limit for the rule execution."), first.out);

        CommandRun second = fixture.once(NOW.plus(Duration.ofMinutes(5)).toString());
        assertEquals(50, second.count("alerts written"), second.toString());
        assertEquals(100, second.count("duplicates skipped"), second.toString());

        Map<String, Long> alertsPerHost = fixture.shellAlerts().stream()
                .collect(Collectors.groupingBy(a -> a.path("host").path("id").asText(), Collectors.counting()));
        assertEquals(150, alertsPerHost.size());
        assertTrue(alertsPerHost.values().stream().allMatch(n -> n == 1));
        assertEquals(attacks.stream().map(Scenario::hostId).collect(Collectors.toSet()), alertsPerHost.keySet());
    }

    @Test
    void aDocumentNestedAThousandLevelsDeepCostsOneSkippedEventNotTheWindow() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        DefendEventGenerator generator = new DefendEventGenerator(11);
        List<Scenario> scenarios = generator.everyScenario(NOW.minus(Duration.ofSeconds(510)), Duration.ofSeconds(25));
        fixture.indexScenarios(scenarios);
        // An inbound SMB connection by System (so the rule reads it) carrying a 1,000-deep object.
        GeneratedEvent carrier = scenarios.stream()
                .filter(s -> s.kind().shouldAlert())
                .flatMap(s -> s.events().stream())
                .filter(e -> e.dataset() == DefendDataset.NETWORK)
                .findFirst()
                .orElseThrow();
        Map<String, Object> poison = new LinkedHashMap<>(carrier.document());
        poison.put("@timestamp", NOW.minus(Duration.ofSeconds(200)).toString());
        Map<String, Object> deep = new LinkedHashMap<>();
        // Below a field the rule reads (file.Ext.header_bytes, which network indices leave unmapped): a read
        // limited to the rule's fields returns the whole object there.
        poison.put("file", Map.of("Ext", Map.of("header_bytes", deep)));
        for (int level = 4; level < 1_000; level++) {
            Map<String, Object> next = new LinkedHashMap<>();
            deep.put("d", next);
            deep = next;
        }
        ES.bulkIndex(fixture.networkIndex, List.of(poison));

        CommandRun run = fixture.once(NOW.toString());

        assertEquals(0, run.exitCode, run.toString());
        long expected = scenarios.stream().filter(Scenario::shouldAlert).count();
        assertEquals(expected, fixture.shellAlerts().size(), run.toString());
        assertEquals(expected, run.count("alerts written"), run.toString());
        assertTrue(run.out.contains("1 malformed event(s) skipped"), run.toString());
    }

    @Test
    void aRuleThatFailsMakesOnceExitNonZeroAndSaysWhy() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        CommandRun run = CommandRun.of(
                "once", "--now", NOW.toString(), "--es-url", "http://127.0.0.1:1", "--rules", fixture.rules.toString());
        assertEquals(2, run.exitCode, run.toString());
        assertTrue(run.err.contains("127.0.0.1:1"), run.err);
    }
}
