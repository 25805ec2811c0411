package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.testing.ElasticsearchHarness;
import io.eqlwatch.testing.LoopbackForwarder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's HTTP port as an operator uses it: {@code curl :PORT/metrics} after the SMB rule ran
 * shows that rule's counters, and {@code /health/ready} turns unready when the cluster goes away
 * (here: the loopback forwarder in front of the real Elasticsearch is closed).
 */
class OperationsIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final String SMB_RULE_ID = "58bc134c-e8d2-4291-a552-b4b3e537c60b";

    @TempDir
    Path folder;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @SuppressWarnings("try") // the cluster is closed inside its try on purpose: readiness must follow it down
    void metricsShowTheSmbRulesCountersAndReadinessFollowsTheCluster() throws Exception {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        Scenario attack = new DefendEventGenerator(41)
                .attack(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(2)));
        fixture.indexScenarios(List.of(attack));
        int port = freePort();
        try (LoopbackForwarder cluster = new LoopbackForwarder(ES.url())) {
            Process daemon = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            "target/eqlwatch.jar",
                            "run",
                            "--es-url",
                            cluster.url(),
                            "--rules",
                            fixture.rules.toString(),
                            "--alerts-index",
                            fixture.alertsIndex,
                            "--state-index",
                            fixture.stateIndex,
                            "--http-port",
                            Integer.toString(port),
                            "--shutdown-grace-seconds",
                            "5")
                    .redirectErrorStream(true)
                    .redirectOutput(folder.resolve("daemon.log").toFile())
                    .start();
            try {
                DaemonLog log = new DaemonLog(folder.resolve("daemon.log"));
                log.await("alerts written 1,", Duration.ofSeconds(60));

                HttpResponse<String> metrics = get(port, "/metrics");
                assertEquals(200, metrics.statusCode());
                String text = metrics.body();
                assertEquals(1, smbValue(text, "eqlwatch_rule_alerts_written_total", ""), text);
                assertEquals(1, smbValue(text, "eqlwatch_rule_sequences_found_total", ""));
                assertEquals(1, smbValue(text, "eqlwatch_rule_executions_total", "outcome=\"succeeded\""));
                assertEquals(0, smbValue(text, "eqlwatch_rule_executions_total", "outcome=\"failed\""));
                assertEquals(0, smbValue(text, "eqlwatch_rule_dropped_by_cap_total", ""));
                assertEquals(0, smbValue(text, "eqlwatch_rule_duplicates_skipped_total", ""));
                assertTrue(
                        smbValue(text, "eqlwatch_rule_events_read_total", "")
                                >= attack.events().size(),
                        "the attack's events were read");
                assertTrue(
                        smbValue(text, "eqlwatch_rule_open_sequences_peak", "") >= 1,
                        "the SMB sequence was open between its two events");
                assertEquals(
                        0,
                        smbValue(text, "eqlwatch_rule_checkpoint_lag_seconds", ""),
                        "a complete run leaves the checkpoint at its now");
                assertEquals(1, smbValue(text, "eqlwatch_rule_execution_duration_seconds_count", ""));
                assertTrue(text.contains("jvm_memory_used_bytes"), "JVM meters");

                assertEquals(200, get(port, "/health/live").statusCode());
                HttpResponse<String> ready = get(port, "/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());

                cluster.close();
                HttpResponse<String> unready = get(port, "/health/ready");
                assertEquals(503, unready.statusCode(), unready.body());
                assertTrue(unready.body().contains("Elasticsearch does not answer"), unready.body());
                assertEquals(200, get(port, "/health/live").statusCode(), "the process itself is fine: no restart");
            } finally {
                daemon.destroyForcibly().waitFor();
            }
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of a series of the SMB rule; {@code extra} is one more label, or empty. */
    private static double smbValue(String text, String name, String extra) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$")
                .matcher(text);
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("rule_id=\"" + SMB_RULE_ID + "\"") && (extra.isEmpty() || labels.contains(extra))) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no " + name + " of the SMB rule " + extra + " in:\n" + text);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
