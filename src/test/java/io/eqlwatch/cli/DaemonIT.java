package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a user runs it: {@code java -jar target/eqlwatch.jar run} in its own process against
 * the real Elasticsearch. It detects on its schedule, follows an edit of the rule file without a
 * restart, and on SIGTERM finishes cleanly with exit code 0.
 */
class DaemonIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();

    @TempDir
    Path folder;

    @Test
    void theDaemonDetectsFollowsARuleEditAndStopsCleanlyOnSigterm() throws Exception {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        Scenario attack = new DefendEventGenerator(77)
                .attack(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(2)));
        fixture.indexScenarios(List.of(attack));

        Process daemon = fixture.startDaemon(
                folder.resolve("daemon.log"), "--watch-seconds", "1", "--shutdown-grace-seconds", "20");
        DaemonLog lines = new DaemonLog(folder.resolve("daemon.log"));
        try {
            lines.await("alerts written 1,", Duration.ofSeconds(60));
            assertEquals(1, fixture.shellAlerts().size());

            fixture.writeRule(SmbRuleFixture.SHIPPED_RULE, "interval: 5m\nfrom: now-9m", "interval: 2s\nfrom: now-9m");
            lines.await("rescheduled every 2s", Duration.ofSeconds(30));
            lines.await("duplicates skipped 1,", Duration.ofSeconds(30));

            daemon.destroy(); // SIGTERM
            assertTrue(daemon.waitFor(40, TimeUnit.SECONDS), "the daemon exits within its grace period");
            assertEquals(0, daemon.exitValue(), "a requested stop is not a failure");
            lines.await("eqlwatch stopped", Duration.ofSeconds(5));
            assertEquals(1, fixture.shellAlerts().size(), "every run after the first found the alert already written");
        } finally {
            daemon.destroyForcibly();
        }
    }
}
