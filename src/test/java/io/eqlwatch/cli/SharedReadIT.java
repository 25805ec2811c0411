package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 6 against a real Elasticsearch: rules over the same indices run by one {@code once}
 * share their reads, and each writes exactly the alerts it writes when run alone; a rule that cannot
 * run against the mappings fails on its own, with its reason, and takes no other rule with it.
 */
class SharedReadIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String SHIPPED_ID = "58bc134c-e8d2-4291-a552-b4b3e537c60b";

    @TempDir
    Path folder;

    @Test
    void rulesSharingAReadAlertExactlyAsAloneAndABrokenOneFailsAlone() {
        SmbRuleFixture together = new SmbRuleFixture(ES, folder.resolve("together"));
        DefendEventGenerator generator = new DefendEventGenerator(23);
        List<Scenario> scenarios = generator.everyScenario(NOW.minus(Duration.ofSeconds(500)), Duration.ofSeconds(20));
        together.indexScenarios(scenarios);
        together.index(generator.noise(NOW.minus(Duration.ofMinutes(9)), NOW, 300));
        writeVariants(together);

        CommandRun batch = together.once(NOW.toString());

        assertEquals(1, batch.exitCode, "the broken rule fails the run: " + batch);
        assertTrue(
                batch.out
                        .lines()
                        .anyMatch(line -> line.startsWith("Unmapped field rule")
                                && line.contains("FAILED")
                                && line.contains("no.such.field")),
                batch.toString());
        assertEquals(
                1, batch.out.lines().filter(line -> line.contains("FAILED")).count(), batch.toString());
        Map<String, Set<String>> shared = alertIdsByRule(together.allAlerts());

        Map<String, Set<String>> alone = eachAlone(together, NOW.toString(), "alone");
        assertTrue(alone.get(SHIPPED_ID).size() >= 3, "the scenarios raise SMB alerts: " + alone);
        assertFalse(alone.get("system-network-events").isEmpty(), alone.toString());
        assertEquals(alone, shared, "every rule's alerts, shared read or alone");
    }

    @Test
    void theDaemonRunsRulesThatFireTogetherAsOneBatchAndEachAlertsAsItWouldAlone() throws Exception {
        SmbRuleFixture daemon = new SmbRuleFixture(ES, folder.resolve("daemon"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DefendEventGenerator generator = new DefendEventGenerator(29);
        daemon.indexScenarios(generator.everyScenario(now.minus(Duration.ofSeconds(500)), Duration.ofSeconds(20)));
        daemon.index(generator.noise(now.minus(Duration.ofMinutes(8)), now, 300));
        writeVariants(daemon);

        Path log = folder.resolve("daemon.log");
        Process process = daemon.startDaemon(log, "--shutdown-grace-seconds", "20");
        try {
            DaemonLog lines = new DaemonLog(log);
            lines.await("4 rules fired together: executed as one batch", Duration.ofSeconds(90));
            awaitSummaries(log, 4, Duration.ofSeconds(60));
            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(40, TimeUnit.SECONDS), "the daemon stops within its grace period");
        } finally {
            process.destroyForcibly();
        }
        String text = Files.readString(log);
        assertEquals(
                1,
                text.lines()
                        .filter(l -> l.contains("Unmapped field rule") && l.contains("FAILED"))
                        .count(),
                text);
        Map<String, Set<String>> batched = alertIdsByRule(daemon.allAlerts());

        Map<String, Set<String>> alone =
                eachAlone(daemon, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "daemon-alone");
        assertTrue(alone.get(SHIPPED_ID).size() >= 3, "the scenarios raise SMB alerts: " + alone);
        assertEquals(alone, batched, "every rule's alerts, in the daemon's batch or alone");
    }

    /** Each of the fixture's working rules again, alone, over the same events: a folder and fresh indices each. */
    private Map<String, Set<String>> eachAlone(SmbRuleFixture fixture, String now, String prefix) {
        Map<String, Set<String>> alone = new TreeMap<>();
        for (String file : List.of("lateral_tool_transfer_smb.yml", "narrow.yml", "system_network.yml")) {
            Path rules = folder.resolve(prefix + "-" + file);
            String alertsIndex = ES.uniqueIndexName("eqlwatch-alerts");
            copy(fixture.rules.resolve(file), rules.resolve(file));
            CommandRun run = CommandRun.of(
                    "once",
                    "--now",
                    now,
                    "--es-url",
                    ES.url(),
                    "--rules",
                    rules.toString(),
                    "--alerts-index",
                    alertsIndex,
                    "--state-index",
                    ES.uniqueIndexName("eqlwatch-state"));
            assertEquals(0, run.exitCode, run.toString());
            alone.putAll(alertIdsByRule(alerts(alertsIndex)));
        }
        return alone;
    }

    /** Waits until the daemon has logged the outcome of {@code count} rule executions. */
    private static void awaitSummaries(Path log, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long done = Files.readString(log)
                    .lines()
                    .filter(l -> l.contains(" window ") && (l.contains("— ok") || l.contains("— FAILED: ")))
                    .count();
            if (done >= count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the daemon logged " + done + " of " + count + " rule outcomes:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    /** Beside the shipped rule: a narrower variant, an event query over one of its indices, and a broken rule. */
    private static void writeVariants(SmbRuleFixture fixture) {
        fixture.writeRule(SmbRuleFixture.SHIPPED_RULE);
        write(
                fixture,
                "narrow.yml",
                rule(
                        "narrow-smb",
                        "Narrow SMB transfer",
                        List.of(fixture.networkIndex, fixture.fileIndex),
                        "sequence by host.id with maxspan=10s\n"
                                + "    [network where process.pid == 4 and destination.port == 445]\n"
                                + "    [file where process.pid == 4 and file.extension : (\"exe\", \"dll\")]"));
        write(
                fixture,
                "system_network.yml",
                rule(
                        "system-network-events",
                        "System network event",
                        List.of(fixture.networkIndex),
                        "network where process.pid == 4 and destination.port == 445"));
        write(
                fixture,
                "unmapped.yml",
                rule(
                        "unmapped-field",
                        "Unmapped field rule",
                        List.of(fixture.networkIndex, fixture.fileIndex),
                        "file where no.such.field == \"x\""));
    }

    private static String rule(String id, String name, List<String> indices, String query) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("rule_id: ").append(id).append('\n');
        yaml.append("name: ").append(name).append('\n');
        yaml.append("description: A rule of the shared-read test.\n");
        yaml.append("type: eql\n");
        yaml.append("severity: low\n");
        yaml.append("risk_score: 21\n");
        yaml.append("interval: 5m\n");
        yaml.append("from: now-9m\n");
        yaml.append("index:\n");
        indices.forEach(index -> yaml.append("  - ").append(index).append('\n'));
        yaml.append("query: |\n  ").append(query).append('\n');
        return yaml.toString();
    }

    private static void write(SmbRuleFixture fixture, String file, String yaml) {
        try {
            Files.writeString(fixture.rules.resolve(file), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ObjectNode> alerts(String index) {
        try {
            ES.refresh(index);
            return ES
                    .client()
                    .search(s -> s.index(index).size(10_000).query(q -> q.matchAll(m -> m)), ObjectNode.class)
                    .hits()
                    .hits()
                    .stream()
                    .map(Hit::source)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Set<String>> alertIdsByRule(List<ObjectNode> alerts) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (ObjectNode alert : alerts) {
            out.computeIfAbsent(alert.path("kibana.alert.rule.rule_id").asText(), k -> new TreeSet<>())
                    .add(alert.path("kibana.alert.uuid").asText());
        }
        return out;
    }
}
