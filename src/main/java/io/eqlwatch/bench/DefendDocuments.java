package io.eqlwatch.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Elastic Defend network and file event documents as nested maps, in the shape Jackson gives a
 * document's {@code _source} (small numbers as {@code Integer}), with the fields the endpoint package
 * writes: {@code @timestamp}, agent, data_stream, ecs, event, host, process, user, and source/destination/
 * network or file.
 */
final class DefendDocuments {

    static final String NETWORK_DATASET = "endpoint.events.network";
    static final String FILE_DATASET = "endpoint.events.file";
    static final String INDEX_PREFIX = "eqlwatch-bench-";
    private static final Map<String, Object> ECS = Map.of("version", "8.11.0");
    private static final Map<String, Object> SYSTEM_USER =
            Map.of("domain", "NT AUTHORITY", "name", "SYSTEM", "id", "S-1-5-18");
    private static final Map<String, Object> ROOT_USER = Map.of("name", "root", "id", "0");

    private final String namespace;
    private final Map<String, Object> networkStream;
    private final Map<String, Object> fileStream;

    DefendDocuments(String namespace) {
        this.namespace = namespace;
        this.networkStream = Map.of("type", "logs", "dataset", NETWORK_DATASET, "namespace", namespace);
        this.fileStream = Map.of("type", "logs", "dataset", FILE_DATASET, "namespace", namespace);
    }

    /**
     * Not {@code logs-*-*}: on a default Elasticsearch distribution that pattern belongs to the built-in
     * data-stream template, which refuses plain indices created by name.
     */
    String networkIndex() {
        return INDEX_PREFIX + NETWORK_DATASET + "-" + namespace;
    }

    String fileIndex() {
        return INDEX_PREFIX + FILE_DATASET + "-" + namespace;
    }

    /** A connection seen by Defend's network events. */
    record Connection(
            int pid,
            String processName,
            String executable,
            String entityId,
            String sourceIp,
            int sourcePort,
            String destinationIp,
            int destinationPort,
            String direction,
            String transport,
            String type,
            String action) {}

    /** A file operation seen by Defend's file events. */
    record FileOperation(
            int pid,
            String processName,
            String executable,
            String entityId,
            String type,
            String path,
            String headerBytes,
            int size) {}

    Map<String, Object> network(SyntheticHost host, Instant at, String eventId, Connection c) {
        Map<String, Object> doc = common(
                host,
                at,
                eventId,
                networkStream,
                NETWORK_DATASET,
                "network",
                c.type(),
                c.action(),
                "Endpoint network event");
        doc.put("process", process(c.pid(), c.processName(), c.executable(), c.entityId()));
        doc.put("source", endpoint(c.sourceIp(), c.sourcePort()));
        doc.put("destination", endpoint(c.destinationIp(), c.destinationPort()));
        Map<String, Object> network = new LinkedHashMap<>(4);
        network.put("direction", c.direction());
        network.put("transport", c.transport());
        network.put("type", c.sourceIp().indexOf(':') >= 0 ? "ipv6" : "ipv4");
        doc.put("network", network);
        doc.put("user", user(host, c.pid()));
        return doc;
    }

    Map<String, Object> file(SyntheticHost host, Instant at, String eventId, FileOperation f) {
        String action = f.type().equals("change") ? "overwrite" : f.type();
        Map<String, Object> doc =
                common(host, at, eventId, fileStream, FILE_DATASET, "file", f.type(), action, "Endpoint file event");
        doc.put("process", process(f.pid(), f.processName(), f.executable(), f.entityId()));
        int slash = Math.max(f.path().lastIndexOf('\\'), f.path().lastIndexOf('/'));
        String name = f.path().substring(slash + 1);
        Map<String, Object> file = new LinkedHashMap<>(8);
        file.put("path", f.path());
        file.put("name", name);
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            file.put("extension", name.substring(dot + 1));
        }
        file.put("directory", f.path().substring(0, Math.max(0, slash)));
        file.put("size", f.size());
        file.put("Ext", Map.of("header_bytes", f.headerBytes()));
        doc.put("file", file);
        doc.put("user", user(host, f.pid()));
        return doc;
    }

    private static Map<String, Object> common(
            SyntheticHost host,
            Instant at,
            String eventId,
            Map<String, Object> stream,
            String dataset,
            String category,
            String type,
            String action,
            String message) {
        String time = at.toString();
        Map<String, Object> doc = new LinkedHashMap<>(16);
        doc.put("@timestamp", time);
        doc.put("message", message);
        doc.put("agent", host.agentDocument);
        doc.put("data_stream", stream);
        doc.put("ecs", ECS);
        Map<String, Object> event = new LinkedHashMap<>(16);
        event.put("agent_id_status", "verified");
        event.put("id", eventId);
        event.put("sequence", host.nextSequence());
        event.put("created", time);
        event.put("kind", "event");
        event.put("module", "endpoint");
        event.put("dataset", dataset);
        event.put("category", List.of(category));
        event.put("type", List.of(type));
        event.put("action", action);
        event.put("outcome", "success");
        doc.put("event", event);
        doc.put("host", host.hostDocument);
        return doc;
    }

    private static Map<String, Object> process(int pid, String name, String executable, String entityId) {
        Map<String, Object> process = new LinkedHashMap<>(4);
        process.put("pid", pid);
        process.put("name", name);
        process.put("executable", executable);
        process.put("entity_id", entityId);
        return process;
    }

    private static Map<String, Object> endpoint(String ip, int port) {
        Map<String, Object> endpoint = new LinkedHashMap<>(3);
        endpoint.put("address", ip);
        endpoint.put("ip", ip);
        endpoint.put("port", port);
        return endpoint;
    }

    private static Map<String, Object> user(SyntheticHost host, int pid) {
        if (!host.windows) {
            return ROOT_USER;
        }
        return pid < 2000 ? SYSTEM_USER : Map.of("domain", "CORP", "name", host.user);
    }
}
