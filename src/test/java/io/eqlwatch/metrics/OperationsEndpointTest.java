package io.eqlwatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.RetryPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP port as a container runtime and Prometheus use it. */
class OperationsEndpointTest {

    private final OperationsEndpoint endpoint = OperationsEndpoint.start(0, 3);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + endpoint.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void liveAtOnceReadyOnlyOnceConnectedAndWhileTheClusterAnswers() throws Exception {
        assertEquals(200, get("/health/live").statusCode());
        HttpResponse<String> before = get("/health/ready");
        assertEquals(503, before.statusCode());
        assertTrue(before.body().contains("not connected to Elasticsearch yet"), before.body());

        AtomicBoolean clusterUp = new AtomicBoolean(true);
        endpoint.clusterConnected(() -> {
            if (!clusterUp.get()) {
                throw new ConnectException("Connection refused");
            }
        });
        assertEquals(200, get("/health/ready").statusCode());
        clusterUp.set(false);
        HttpResponse<String> down = get("/health/ready");
        assertEquals(503, down.statusCode());
        assertTrue(down.body().contains("Elasticsearch does not answer: Connection refused"), down.body());
        clusterUp.set(true);
        assertEquals(200, get("/health/ready").statusCode());
    }

    @Test
    void unreadyAfterThreeFailuresInARowOfOneRuleAndReadyAgainAfterItsSuccessOrRemoval() throws Exception {
        endpoint.clusterConnected(() -> {});
        for (int i = 0; i < 2; i++) {
            endpoint.executionFinished(null, failure(), List.of());
        }
        assertEquals(200, get("/health/ready").statusCode(), "two failures are below the threshold");
        endpoint.executionFinished(null, failure(), List.of());
        HttpResponse<String> unready = get("/health/ready");
        assertEquals(503, unready.statusCode());
        assertTrue(
                unready.body().contains("rule SMB transfer [r-1] failed its last 3 executions: index closed"),
                unready.body());

        endpoint.executionFinished(
                null,
                ExecutionMetricsTest.summary(null, List.of(), 0, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO),
                List.of());
        assertEquals(200, get("/health/ready").statusCode(), "one success resets the count");

        for (int i = 0; i < 3; i++) {
            endpoint.executionFinished(null, failure(), List.of());
        }
        assertEquals(503, get("/health/ready").statusCode());
        endpoint.rulesScheduled(List.of("another-rule"));
        assertEquals(200, get("/health/ready").statusCode(), "a removed rule's failures no longer count");
    }

    @Test
    void metricsInPrometheusTextWithRuleJvmAndClusterCallMeters() throws Exception {
        endpoint.executionFinished(
                null,
                ExecutionMetricsTest.summary(null, List.of(), 12, 1, 1, 0, 0, 2, Duration.ZERO, Duration.ZERO),
                List.of());
        RetryPolicy quick = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1));
        try {
            quick.run("reading events", () -> {
                throw new ConnectException("Connection refused");
            });
        } catch (ElasticsearchCallException expected) {
            // one retry, then one transient failure
        }
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String text = response.body();
        assertEquals(12, ExecutionMetricsTest.value(text, "eqlwatch_rule_events_read_total"));
        assertTrue(text.contains("eqlwatch_es_call_retries_total 1.0"), text);
        assertTrue(text.contains("eqlwatch_es_call_failures_total{cause=\"transient\"} 1.0"), text);
        assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM meters are there");
        assertTrue(text.contains("jvm_gc_"), "GC meters are there");
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesIsServed() throws Exception {
        endpoint.executionFinished(
                null,
                ExecutionMetricsTest.summary(null, List.of(), 1, 1, 1, 0, 0, 1, Duration.ZERO, Duration.ZERO),
                List.of());
        // The GC pause timer appears with the first collection, as it does within seconds of a daemon's start.
        System.gc();
        Thread.sleep(500);
        String text = get("/metrics").body();
        String dashboard = Files.readString(Path.of("docker/grafana/eqlwatch-dashboard.json"));
        Matcher names = Pattern.compile("\\b(eqlwatch_[a-z_]+|jvm_[a-z_]+)").matcher(dashboard);
        int checked = 0;
        while (names.find()) {
            assertTrue(
                    Pattern.compile("(?m)^" + names.group(1) + "[{ ]")
                            .matcher(text)
                            .find(),
                    "the dashboard queries " + names.group(1) + ", which /metrics does not serve");
            checked++;
        }
        assertTrue(checked >= 12, "the dashboard's queries were found: " + checked);
    }

    private static io.eqlwatch.schedule.ExecutionSummary failure() {
        return ExecutionMetricsTest.summary("index closed", List.of(), 0, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO);
    }
}
