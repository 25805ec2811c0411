package io.eqlwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP proxy on loopback in front of the test Elasticsearch that breaks requests on purpose, the way a
 * flaky cluster or the load balancer in front of it does: an error status (429 with {@code Retry-After}, 502,
 * 503, 401), a connection closed without an answer, a stall, or a bulk request of which only the first
 * half reaches Elasticsearch and the rest is answered 429 item by item. Everything else is passed through
 * unchanged. Faults are rules matched against each request in order; every request is logged for assertions.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(es.url())) {
 *     proxy.failFirstOfEachKind(FaultProxy.Fault.status(429));
 *     ... run eqlwatch against proxy.url() ...
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_HEADERS = Set.of(
            "connection",
            "content-length",
            "host",
            "transfer-encoding",
            "upgrade",
            "keep-alive",
            "expect",
            "http2-settings");

    /** What to do to a matching request. */
    public sealed interface Fault {
        /** Answer with this status and an Elasticsearch-shaped error body; the request never reaches the cluster. */
        record Status(int status, String retryAfter) implements Fault {}

        /** Close the connection without an answer (a reset or a crashed node, as the client sees it). */
        record Reset() implements Fault {}

        /** Hold the request this long before passing it on. */
        record Stall(Duration duration) implements Fault {}

        /** Pass on only the first half of a bulk request's operations; answer the rest 429 item by item. */
        record PartialBulk() implements Fault {}

        static Fault status(int status) {
            return new Status(status, status == 429 || status == 503 ? "1" : null);
        }

        static Fault reset() {
            return new Reset();
        }
    }

    /** One request seen: method, path with query, and the fault applied (null when passed through). */
    public record Seen(String method, String path, Fault fault) {
        /** e.g. {@code "PUT /_index_template/x"}, without the query string. */
        public String kind() {
            int q = path.indexOf('?');
            return method + " " + (q < 0 ? path : path.substring(0, q));
        }
    }

    private record Rule(
            Predicate<Seen> matches,
            Fault fault,
            AtomicInteger remaining,
            boolean firstOfEachKind,
            Set<String> kindsSeen) {}

    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient upstreamClient;
    private final URI upstream;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

    private FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        });
        this.upstreamClient =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy in front of {@code upstreamUrl} (e.g. the harness's URL), on a free loopback port. */
    public static FaultProxy start(String upstreamUrl) {
        try {
            return new FaultProxy(URI.create(upstreamUrl));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fault proxy: " + e, e);
        }
    }

    /** e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code times} requests matching {@code matches} get {@code fault}. */
    public FaultProxy inject(Predicate<Seen> matches, Fault fault, int times) {
        rules.add(new Rule(matches, fault, new AtomicInteger(times), false, null));
        return this;
    }

    /** Every matching request gets {@code fault}, until {@link #clear()}. */
    public FaultProxy always(Predicate<Seen> matches, Fault fault) {
        return inject(matches, fault, Integer.MAX_VALUE);
    }

    /**
     * The first request of each kind (method and path, see {@link Seen#kind()}) gets {@code fault}, the retry
     * of it passes: one fault on every distinct call a run makes.
     */
    public FaultProxy failFirstOfEachKind(Predicate<Seen> matches, Fault fault) {
        rules.add(new Rule(
                matches,
                fault,
                new AtomicInteger(Integer.MAX_VALUE),
                true,
                Collections.synchronizedSet(new HashSet<>())));
        return this;
    }

    public FaultProxy clear() {
        rules.clear();
        return this;
    }

    /** Every request so far, in arrival order. */
    public List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** The requests that were given a fault. */
    public List<Seen> faulted() {
        return seen().stream().filter(s -> s.fault() != null).toList();
    }

    private Fault faultFor(Seen request) {
        for (Rule rule : rules) {
            if (!rule.matches().test(request)) {
                continue;
            }
            if (rule.firstOfEachKind()) {
                if (rule.kindsSeen().add(request.kind())) {
                    return rule.fault();
                }
                continue;
            }
            if (rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return rule.fault();
            }
        }
        return null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery());
            byte[] body = exchange.getRequestBody().readAllBytes();
            Seen probe = new Seen(method, path, null);
            Fault fault = faultFor(probe);
            if (fault instanceof Fault.PartialBulk && !(probe.kind().endsWith("/_bulk"))) {
                fault = null;
            }
            seen.add(new Seen(method, path, fault));
            if (fault == null) {
                forward(exchange, method, path, body);
            } else if (fault instanceof Fault.Status status) {
                answerError(exchange, method, status);
            } else if (fault instanceof Fault.Reset) {
                // Closing the exchange before any answer closes the connection: the client sees it drop.
                exchange.getResponseBody().close();
            } else if (fault instanceof Fault.Stall stall) {
                sleep(stall.duration());
                forward(exchange, method, path, body);
            } else if (fault instanceof Fault.PartialBulk) {
                partialBulk(exchange, path, body);
            }
        } catch (IOException | RuntimeException e) {
            // The client has been answered (or dropped on purpose); nothing else to do.
        }
    }

    private void forward(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
        HttpResponse<byte[]> response = send(exchange.getRequestHeaders(), method, path, body);
        Headers out = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                out.put(name, values);
            }
        });
        reply(exchange, method, response.statusCode(), response.body());
    }

    private HttpResponse<byte[]> send(Headers headers, String method, String path, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(path))
                .timeout(Duration.ofMinutes(2))
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        try {
            return upstreamClient.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void answerError(HttpExchange exchange, String method, Fault.Status fault) throws IOException {
        String type =
                switch (fault.status()) {
                    case 429 -> "es_rejected_execution_exception";
                    case 401 -> "security_exception";
                    case 403 -> "security_exception";
                    default -> "fault_proxy_exception";
                };
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error")
                .put("type", type)
                .put("reason", "injected by the fault proxy (" + fault.status() + ")");
        error.put("status", fault.status());
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-elastic-product", "Elasticsearch");
        if (fault.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", fault.retryAfter());
        }
        reply(exchange, method, fault.status(), JSON.writeValueAsBytes(error));
    }

    /** Sends the first half of the operations on, and answers the second half 429 without sending them. */
    private void partialBulk(HttpExchange exchange, String path, byte[] body) throws IOException {
        List<String> lines = new ArrayList<>(List.of(new String(body, StandardCharsets.UTF_8).split("\n")));
        lines.removeIf(String::isBlank);
        List<String[]> operations = new ArrayList<>();
        for (int i = 0; i < lines.size(); ) {
            JsonNode action = JSON.readTree(lines.get(i));
            boolean hasSource = !action.has("delete");
            operations.add(hasSource ? new String[] {lines.get(i), lines.get(i + 1)} : new String[] {lines.get(i)});
            i += hasSource ? 2 : 1;
        }
        int passed = operations.size() / 2;
        StringBuilder forwarded = new StringBuilder();
        for (String[] operation : operations.subList(0, passed)) {
            for (String line : operation) {
                forwarded.append(line).append('\n');
            }
        }
        ObjectNode answer;
        if (passed > 0) {
            HttpResponse<byte[]> response = send(
                    exchange.getRequestHeaders(),
                    "POST",
                    path,
                    forwarded.toString().getBytes(StandardCharsets.UTF_8));
            answer = (ObjectNode) JSON.readTree(response.body());
        } else {
            answer = JSON.createObjectNode().put("took", 0).put("errors", false);
            answer.putArray("items");
        }
        ArrayNode items = (ArrayNode) answer.get("items");
        for (String[] operation : operations.subList(passed, operations.size())) {
            JsonNode action = JSON.readTree(operation[0]);
            String op = action.fieldNames().next();
            ObjectNode item = items.addObject().putObject(op);
            item.put("_index", action.path(op).path("_index").asText("unknown"))
                    .put("_id", action.path(op).path("_id").asText())
                    .put("status", 429);
            item.putObject("error")
                    .put("type", "es_rejected_execution_exception")
                    .put("reason", "injected by the fault proxy (partial bulk)");
        }
        answer.put("errors", true);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-elastic-product", "Elasticsearch");
        reply(exchange, "POST", 200, JSON.writeValueAsBytes(answer));
    }

    private static void reply(HttpExchange exchange, String method, int status, byte[] body) throws IOException {
        boolean noBody = "HEAD".equals(method) || body.length == 0;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
