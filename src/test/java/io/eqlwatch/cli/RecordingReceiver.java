package io.eqlwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A real HTTP receiver on loopback (the JDK's server) standing in for a webhook, Slack, Teams and
 * PagerDuty: it records every request it answers 2xx to, and answers with the status the test sets.
 */
final class RecordingReceiver implements AutoCloseable {

    /** One request the receiver accepted. */
    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> accepted = new ArrayList<>();
    private final AtomicInteger refusedCount = new AtomicInteger();
    private volatile IntSupplier status = () -> 200;

    RecordingReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int answer = status.getAsInt();
            if (answer >= 200 && answer < 300) {
                synchronized (accepted) {
                    accepted.add(new Request(
                            exchange.getRequestMethod(),
                            exchange.getRequestURI().getPath(),
                            Map.copyOf(exchange.getRequestHeaders()),
                            new String(body, StandardCharsets.UTF_8)));
                }
            } else {
                refusedCount.incrementAndGet();
            }
            byte[] reply = (answer < 300 ? "ok" : "{\"error\":\"receiver down for maintenance\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void answer(IntSupplier statusCode) {
        this.status = statusCode;
    }

    List<Request> requests(String path) {
        synchronized (accepted) {
            return accepted.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    List<Request> requestsUnder(String prefix) {
        synchronized (accepted) {
            return accepted.stream().filter(r -> r.path().startsWith(prefix)).toList();
        }
    }

    int refused() {
        return refusedCount.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
