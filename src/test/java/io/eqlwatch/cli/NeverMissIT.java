package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.GeneratedEvent;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's promises against the real Elasticsearch: downtime, a killed run, late events, and
 * preview agreeing with backfill. Each test asserts what an analyst would count: every expected
 * alert present, each exactly once.
 */
class NeverMissIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @TempDir
    Path folder;

    @Test
    void twoHoursOfDowntimeYieldEveryAlertOfThoseHoursExactlyOnce() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        CommandRun beforeOutage = fixture.once(T0.toString());
        assertEquals(0, beforeOutage.count("alerts written"), beforeOutage.toString());

        // Attacks every 4 min 50 s for two hours, so some fall on every kind of window boundary,
        // and some straddle one (the file event 20 s after the connection).
        DefendEventGenerator generator = new DefendEventGenerator(21);
        List<Scenario> attacks = new ArrayList<>();
        for (Instant at = T0.plusSeconds(20); at.isBefore(T0.plus(Duration.ofHours(2))); at = at.plusSeconds(290)) {
            attacks.add(generator.attack(at));
        }
        fixture.indexScenarios(attacks);
        fixture.index(generator.noise(T0, T0.plus(Duration.ofHours(2)), 600));

        CommandRun afterRestart =
                fixture.once(T0.plus(Duration.ofHours(2)).plusSeconds(30).toString());
        CommandRun next = fixture.once(
                T0.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(5)).toString());

        assertEquals(0, afterRestart.exitCode, afterRestart.toString());
        assertEquals(attacks.size(), afterRestart.count("alerts written"), afterRestart.toString());
        assertEquals(0, next.count("alerts written"), next.toString());
        assertEquals(hosts(attacks), alertedHostsEachOnce(fixture));
    }

    @Test
    void beyondTheCatchUpLimitTheGapIsRecordedWithItsBackfillCommand() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        fixture.once(T0.toString());
        Scenario early = new DefendEventGenerator(8).attack(T0.plus(Duration.ofMinutes(30)));
        fixture.indexScenarios(List.of(early));

        CommandRun late = fixture.once(T0.plus(Duration.ofHours(3)).toString(), "--catch-up-hours", "1");
        assertEquals(0, late.count("alerts written"), late.toString());
        assertTrue(
                late.out.contains("eqlwatch backfill --rule 58bc134c-e8d2-4291-a552-b4b3e537c60b --from "), late.out);

        CommandRun status = CommandRun.of(
                "status",
                "--es-url",
                ES.url(),
                "--rules",
                fixture.rules.toString(),
                "--state-index",
                fixture.stateIndex);
        assertTrue(status.out.contains("gap:"), status.toString());
        String command = status.out
                .lines()
                .filter(l -> l.contains("gap:"))
                .findFirst()
                .orElseThrow()
                .replaceAll(".*fill with: eqlwatch ", "");
        List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
        args.addAll(List.of(
                "--es-url",
                ES.url(),
                "--rules",
                fixture.rules.toString(),
                "--alerts-index",
                fixture.alertsIndex,
                "--state-index",
                fixture.stateIndex));
        CommandRun backfill = CommandRun.of(args);
        assertEquals(0, backfill.exitCode, backfill.toString());
        assertEquals(Set.of(early.hostId()), alertedHostsEachOnce(fixture));
        CommandRun after = CommandRun.of(
                "status",
                "--es-url",
                ES.url(),
                "--rules",
                fixture.rules.toString(),
                "--state-index",
                fixture.stateIndex);
        assertTrue(!after.out.contains("gap:"), "the filled gap is no longer listed:\n" + after.out);
    }

    @Test
    void aBackfillKilledMidwayIsRedoneWithNoDuplicate() throws Exception {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        DefendEventGenerator generator = new DefendEventGenerator(33);
        List<Scenario> attacks = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            attacks.add(generator.attack(T0.plus(Duration.ofMinutes(7L * i + 1))));
        }
        fixture.indexScenarios(attacks);
        String from = T0.toString();
        String to = T0.plus(Duration.ofHours(8)).toString();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "target/eqlwatch.jar",
                "backfill",
                "--rule",
                "58bc134c-e8d2-4291-a552-b4b3e537c60b",
                "--from",
                from,
                "--to",
                to,
                "--window",
                "9m",
                "--es-url",
                ES.url(),
                "--rules",
                fixture.rules.toString(),
                "--alerts-index",
                fixture.alertsIndex,
                "--state-index",
                fixture.stateIndex);

        Process first = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> seen = new ArrayList<>();
        try (var lines = first.inputReader().lines()) {
            for (String line : (Iterable<String>) lines::iterator) {
                seen.add(line);
                if (line.startsWith("window 12/")) {
                    first.destroyForcibly();
                    break;
                }
            }
        }
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        assertTrue(seen.stream().anyMatch(l -> l.startsWith("window 12/")), String.join("\n", seen));
        int before = fixture.shellAlerts().size();
        assertTrue(before > 0 && before < attacks.size(), "the kill left the backfill part-done: " + before);

        Process second = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(second.getInputStream().readAllBytes());
        assertEquals(0, second.waitFor(), output);
        assertTrue(output.contains("done by an earlier run, skipped"), output);
        assertEquals(hosts(attacks), alertedHostsEachOnce(fixture));
    }

    @Test
    void aFileEventIngestedTwentyMinutesLateIsStillDetectedOnce() throws IOException {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        fixture.writeRule(
                SmbRuleFixture.SHIPPED_RULE,
                "max_signals: 100\n",
                "max_signals: 100\ntimestamp_override: event.ingested\n");
        Instant connection = T0.plus(Duration.ofMinutes(1));
        Scenario attack = new DefendEventGenerator(44).attack(connection);
        List<GeneratedEvent> events = new ArrayList<>();
        for (GeneratedEvent event : attack.events()) {
            Map<String, Object> doc = JSON.convertValue(event.document(), new TypeReference<Map<String, Object>>() {});
            @SuppressWarnings("unchecked")
            Map<String, Object> eventFields = (Map<String, Object>) doc.get("event");
            boolean isFile = event.dataset().name().equals("FILE");
            eventFields.put(
                    "ingested",
                    event.timestamp()
                            .plus(isFile ? Duration.ofMinutes(20) : Duration.ofSeconds(1))
                            .toString());
            events.add(new GeneratedEvent(event.dataset(), event.timestamp(), doc));
        }
        // Each event reaches Elasticsearch when its event.ingested says: the network event at once,
        // the file event twenty minutes later, after the run that covered its @timestamp.
        fixture.index(events.stream()
                .filter(e -> e.dataset().name().equals("NETWORK"))
                .toList());
        CommandRun whileFileInTransit =
                fixture.once(connection.plus(Duration.ofMinutes(5)).toString());
        fixture.index(
                events.stream().filter(e -> e.dataset().name().equals("FILE")).toList());
        CommandRun afterArrival =
                fixture.once(connection.plus(Duration.ofMinutes(21)).toString());
        CommandRun later = fixture.once(connection.plus(Duration.ofMinutes(26)).toString());

        assertEquals(0, whileFileInTransit.count("alerts written"), whileFileInTransit.toString());
        assertEquals(1, afterArrival.count("alerts written"), afterArrival.toString());
        assertEquals(0, later.count("alerts written"), later.toString());
        assertEquals(Set.of(attack.hostId()), alertedHostsEachOnce(fixture));
    }

    @Test
    void previewOverAWeekPrintsTheAlertsThatBackfillThenWrites() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        DefendEventGenerator generator = new DefendEventGenerator(55);
        List<Scenario> attacks = new ArrayList<>();
        for (int day = 0; day < 7; day++) {
            attacks.add(generator.attack(T0.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(37L * day))));
        }
        fixture.indexScenarios(attacks);
        String from = T0.toString();
        String to = T0.plus(Duration.ofDays(7)).toString();
        Path rule = fixture.rules.resolve(SmbRuleFixture.SHIPPED_RULE.getFileName());

        CommandRun preview = CommandRun.of(
                "preview",
                "--rule",
                rule.toString(),
                "--from",
                from,
                "--to",
                to,
                "--format",
                "ndjson",
                "--es-url",
                ES.url());
        assertEquals(0, preview.exitCode, preview.toString());
        assertEquals(0, fixture.allAlerts().size(), "preview writes nothing");
        assertTrue(preview.out.lines().allMatch(l -> l.startsWith("{\"_id\":")), preview.out);
        Set<String> previewed = preview.out
                .lines()
                .map(l -> l.replaceAll("^\\{\"_id\":\"([0-9a-f]+)\".*", "$1"))
                .collect(Collectors.toCollection(TreeSet::new));

        CommandRun backfill = CommandRun.of(
                "backfill",
                "--rule",
                "58bc134c-e8d2-4291-a552-b4b3e537c60b",
                "--from",
                from,
                "--to",
                to,
                "--es-url",
                ES.url(),
                "--rules",
                fixture.rules.toString(),
                "--alerts-index",
                fixture.alertsIndex,
                "--state-index",
                fixture.stateIndex);
        assertEquals(0, backfill.exitCode, backfill.toString());

        Set<String> written = fixture.shellAlerts().stream()
                .map(a -> a.path("kibana.alert.uuid").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(attacks.size(), previewed.size(), preview.out);
        assertEquals(previewed, written);
    }

    private static Set<String> hosts(List<Scenario> scenarios) {
        return scenarios.stream().map(Scenario::hostId).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The hosts that have an alert, failing if any host has two: the analyst's duplicate check. */
    private static Set<String> alertedHostsEachOnce(SmbRuleFixture fixture) {
        Map<String, Long> perHost = fixture.shellAlerts().stream()
                .collect(Collectors.groupingBy(a -> a.path("host").path("id").asText(), Collectors.counting()));
        perHost.forEach((host, count) -> assertEquals(1L, count, "alerts for host " + host));
        return new TreeSet<>(perHost.keySet());
    }
}
