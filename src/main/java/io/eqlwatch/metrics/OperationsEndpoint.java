package io.eqlwatch.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.schedule.ExecutionListener;
import io.eqlwatch.schedule.ExecutionSummary;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The daemon's one HTTP port for operators: {@code /metrics} (Prometheus text), {@code /health/live}
 * (the process serves requests) and {@code /health/ready} (see {@link Readiness}); 503 when unready,
 * so it serves as a container readiness probe as it is.
 */
public final class OperationsEndpoint implements AutoCloseable, ExecutionListener {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExecutionMetrics executions = new ExecutionMetrics(registry);
    private final RuleHealth health = new RuleHealth();
    private final Readiness readiness;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final HttpServer server;
    private final ExecutorService handlers;

    private OperationsEndpoint(HttpServer server, int failuresThreshold) {
        this.server = server;
        this.readiness = new Readiness(health, failuresThreshold);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        RetryPolicy.observeWith(new ClusterCallMetrics(registry));
        handlers = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "eqlwatch-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(handlers);
        server.createContext(
                "/metrics",
                exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext(
                "/health/live", exchange -> respond(exchange, 200, "application/json", "{\"status\":\"live\"}\n"));
        server.createContext("/health/ready", this::ready);
        server.start();
    }

    /**
     * Serves on {@code port} of every interface (0: a free port, see {@link #port()}).
     *
     * @param failuresThreshold consecutive failed executions of one rule that make the daemon unready
     */
    public static OperationsEndpoint start(int port, int failuresThreshold) {
        try {
            return new OperationsEndpoint(HttpServer.create(new InetSocketAddress(port), 0), failuresThreshold);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot serve metrics and health on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Readiness asks this probe from now on. */
    public void clusterConnected(Readiness.ClusterProbe probe) {
        readiness.clusterConnected(probe);
    }

    /** The rules now scheduled; failures of others no longer count against readiness. */
    public void rulesScheduled(Collection<String> ruleIds) {
        health.retainOnly(ruleIds);
    }

    @Override
    public void executionFinished(Rule rule, ExecutionSummary summary, List<String> createdAlertIds) {
        executions.executionFinished(rule, summary, createdAlertIds);
        health.executionFinished(rule, summary, createdAlertIds);
    }

    private void ready(HttpExchange exchange) throws IOException {
        Readiness.Verdict verdict = readiness.check();
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", verdict.ready() ? "ready" : "unready");
        verdict.reasons().forEach(body.putArray("reasons")::add);
        respond(exchange, verdict.ready() ? 200 : 503, "application/json", body + "\n");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        gc.close();
        RetryPolicy.observeWith(null);
        registry.close();
    }
}
