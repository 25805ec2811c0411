package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.testing.ElasticsearchHarness;
import io.eqlwatch.testing.FaultProxy;
import io.eqlwatch.testing.FaultProxy.Fault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flaky cluster, injected: a loopback proxy in front of the real Elasticsearch answers 429 (with
 * Retry-After), 503, drops connections, or lets only half of a bulk request through. Whatever single call of
 * a run it breaks, the run detects the attack and writes its alert exactly once.
 */
class FaultInjectionIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path folder;

    @Test
    void a429OnTheFirstOfEveryKindOfCallNeverFailsTheRun() {
        everyKindOfCallFailsOnceAndTheRunStillDetects(Fault.status(429));
    }

    @Test
    void aDroppedConnectionOnTheFirstOfEveryKindOfCallNeverFailsTheRun() {
        everyKindOfCallFailsOnceAndTheRunStillDetects(Fault.reset());
    }

    private void everyKindOfCallFailsOnceAndTheRunStillDetects(Fault fault) {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        Scenario attack = new DefendEventGenerator(11).attack(NOW.minus(Duration.ofMinutes(3)));
        fixture.indexScenarios(List.of(attack));
        try (FaultProxy proxy = FaultProxy.start(ES.url())) {
            proxy.failFirstOfEachKind(request -> true, fault);

            CommandRun run = once(fixture, proxy, NOW);

            assertEquals(0, run.exitCode, run.toString());
            assertEquals(1, run.count("alerts written"), run.toString());
            Set<String> faultedKinds =
                    proxy.faulted().stream().map(FaultProxy.Seen::kind).collect(Collectors.toCollection(TreeSet::new));
            // Every part of a run met the fault once: installer, state store, reader and writer.
            for (String expected : List.of(
                    "HEAD /_alias/" + fixture.alertsIndex,
                    "PUT /_index_template/",
                    // `once` reads the checkpoints of all its rules in one multi-get.
                    "POST /" + fixture.stateIndex + "/_mget",
                    "/_search",
                    "/_bulk")) {
                assertTrue(
                        faultedKinds.stream().anyMatch(k -> k.contains(expected)),
                        "a faulted call like '" + expected + "' among " + faultedKinds);
            }
        }
        assertEquals(1, fixture.shellAlerts().size());
    }

    @Test
    void aBulkRequestOnlyHalfOfWhichArrivesStillWritesEveryAlertExactlyOnce() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        DefendEventGenerator generator = new DefendEventGenerator(12);
        List<Scenario> attacks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            attacks.add(generator.attack(NOW.minus(Duration.ofMinutes(5)).plusSeconds(20L * i)));
        }
        fixture.indexScenarios(attacks);
        try (FaultProxy proxy = FaultProxy.start(ES.url())) {
            proxy.inject(request -> request.kind().endsWith("/_bulk"), new Fault.PartialBulk(), 2);

            CommandRun run = once(fixture, proxy, NOW);

            assertEquals(0, run.exitCode, run.toString());
            assertEquals(2, proxy.faulted().size(), proxy.seen().toString());
            assertEquals(6, run.count("alerts written"), run.toString());
        }
        assertEquals(6, fixture.shellAlerts().size());
        int documentsPerAlert = fixture.allAlerts().size() / 6;
        assertEquals(6 * documentsPerAlert, fixture.allAlerts().size(), "no document written twice or lost");
    }

    @Test
    void anAlertsIndexDeletedUnderTheRunningDaemonIsBackByItsNextRun() throws Exception {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        fixture.writeRule(SmbRuleFixture.SHIPPED_RULE, "interval: 5m\nfrom: now-9m", "interval: 2s\nfrom: now-9m");
        DefendEventGenerator generator = new DefendEventGenerator(13);
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        fixture.indexScenarios(List.of(generator.attack(start.minus(Duration.ofMinutes(2)))));
        Path log = folder.resolve("daemon.log");
        Process daemon = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        "target/eqlwatch.jar",
                        "run",
                        "--es-url",
                        ES.url(),
                        "--rules",
                        fixture.rules.toString(),
                        "--alerts-index",
                        fixture.alertsIndex,
                        "--state-index",
                        fixture.stateIndex)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            awaitLog(log, "alerts written 1,", 1, Duration.ofSeconds(60));
            // What an operator's clean-up or a retention job gone wrong does: the index behind the alias goes.
            String concrete = ES.client()
                    .indices()
                    .getAlias(a -> a.name(fixture.alertsIndex))
                    .result()
                    .keySet()
                    .iterator()
                    .next();
            ES.deleteIndices(concrete);
            fixture.indexScenarios(List.of(generator.attack(start.minus(Duration.ofMinutes(1)))));

            awaitLog(log, "installing it again", 1, Duration.ofSeconds(30));
            // The second attack's alert (the first one's was deleted with the index, and the daemon remembers
            // having written it).
            awaitLog(log, "alerts written 1,", 2, Duration.ofSeconds(30));
            assertTrue(ES.client()
                    .indices()
                    .existsAlias(a -> a.name(fixture.alertsIndex))
                    .value());
            assertEquals(1, fixture.shellAlerts().size(), "the second attack's alert, in the re-installed index");
            assertEquals(
                    "date",
                    ES.client()
                            .indices()
                            .getMapping(m -> m.index(fixture.alertsIndex))
                            .result()
                            .values()
                            .iterator()
                            .next()
                            .mappings()
                            .properties()
                            .get("@timestamp")
                            ._kind()
                            .jsonValue(),
                    "the new index has the template's mapping, not guessed types");
        } finally {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
    }

    @Test
    void wrongCredentialsFailOnceWithAClearMessageInsteadOfRetrying() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        try (FaultProxy proxy = FaultProxy.start(ES.url())) {
            proxy.always(request -> true, Fault.status(401));
            long started = System.nanoTime();

            CommandRun run = once(fixture, proxy, NOW);

            assertEquals(2, run.exitCode, run.toString());
            assertTrue(run.err.contains("401"), run.err);
            assertTrue(run.err.contains("credentials"), run.err);
            assertEquals(1, proxy.seen().size(), "a 401 is not retried: " + proxy.seen());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
        }
    }

    private static void awaitLog(Path log, String fragment, int times, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Files.readString(log, StandardCharsets.UTF_8).split(java.util.regex.Pattern.quote(fragment), -1).length
                <= times) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the daemon did not log '" + fragment + "' within " + timeout + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            Thread.sleep(200);
        }
    }

    private static CommandRun once(SmbRuleFixture fixture, FaultProxy proxy, Instant now) {
        return CommandRun.of(
                "once",
                "--now",
                now.toString(),
                "--es-url",
                proxy.url(),
                "--rules",
                fixture.rules.toString(),
                "--alerts-index",
                fixture.alertsIndex,
                "--state-index",
                fixture.stateIndex);
    }
}
