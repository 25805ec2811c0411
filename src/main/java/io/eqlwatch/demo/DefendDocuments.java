package io.eqlwatch.demo;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Elastic Defend network and file event documents as nested maps, in the shape Jackson gives a
 * document's {@code _source} (small numbers as {@code Integer}), with the fields the endpoint package
 * writes: {@code @timestamp}, agent, data_stream, ecs, event, host, process, user, and
 * source/destination/network or file. The demo's scenarios and the benchmark's stream both build their
 * events here, so the two cannot drift apart in shape.
 */
public final class DefendDocuments {

    static final String AGENT_VERSION = "8.19.8";
    private static final Map<String, Object> ECS = Map.of("version", "8.11.0");

    private final Map<String, Object> networkStream;
    private final Map<String, Object> fileStream;

    /** Documents of the data stream namespace {@code namespace}. */
    public DefendDocuments(String namespace) {
        this.networkStream = Map.of("type", "logs", "dataset", DefendDataset.NETWORK.dataset(), "namespace", namespace);
        this.fileStream = Map.of("type", "logs", "dataset", DefendDataset.FILE.dataset(), "namespace", namespace);
    }

    /** What a Defend event reports: a connection or a file operation. */
    public sealed interface Activity permits Connection, FileOperation {}

    /** A connection seen by Defend's network events. */
    public record Connection(
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
            String action)
            implements Activity {}

    /** A file operation seen by Defend's file events. */
    public record FileOperation(
            int pid,
            String processName,
            String executable,
            String entityId,
            String type,
            String path,
            String headerBytes,
            int size)
            implements Activity {}

    /** The document of an event on {@code host} at {@code at} reporting {@code activity}. */
    public Map<String, Object> document(DefendHost host, Instant at, String eventId, Activity activity) {
        if (activity instanceof Connection connection) {
            return network(host, at, eventId, connection);
        }
        return file(host, at, eventId, (FileOperation) activity);
    }

    /** The dataset, and so the index, an event reporting {@code activity} belongs to. */
    public static DefendDataset dataset(Activity activity) {
        return activity instanceof Connection ? DefendDataset.NETWORK : DefendDataset.FILE;
    }

    private Map<String, Object> network(DefendHost host, Instant at, String eventId, Connection c) {
        Map<String, Object> doc = common(
                host,
                at,
                eventId,
                networkStream,
                DefendDataset.NETWORK,
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
        doc.put("user", host.userDocument(c.pid()));
        return doc;
    }

    /** A file event; Defend reports a change of an existing file as the action {@code overwrite}. */
    private Map<String, Object> file(DefendHost host, Instant at, String eventId, FileOperation f) {
        String action = f.type().equals("change") ? "overwrite" : f.type();
        Map<String, Object> doc = common(
                host, at, eventId, fileStream, DefendDataset.FILE, "file", f.type(), action, "Endpoint file event");
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
        Map<String, Object> ext = new LinkedHashMap<>(4);
        ext.put("header_bytes", f.headerBytes());
        ext.put("entropy", entropy(f.headerBytes()));
        ext.put("monotonic_id", host.nextFileChange());
        file.put("Ext", ext);
        doc.put("file", file);
        doc.put("user", host.userDocument(f.pid()));
        return doc;
    }

    private static Map<String, Object> common(
            DefendHost host,
            Instant at,
            String eventId,
            Map<String, Object> stream,
            DefendDataset dataset,
            String category,
            String type,
            String action,
            String message) {
        String time = at.toString();
        Map<String, Object> doc = new LinkedHashMap<>(16);
        doc.put("@timestamp", time);
        doc.put("message", message);
        doc.put("agent", host.agentDocument());
        doc.put("data_stream", stream);
        doc.put("ecs", ECS);
        Map<String, Object> event = new LinkedHashMap<>(16);
        event.put("agent_id_status", "verified");
        event.put("id", eventId);
        long sequence = host.nextSequence();
        event.put("sequence", sequence);
        event.put("created", time);
        // Defend's events reach the cluster one to three seconds after they happen
        event.put("ingested", at.plusMillis(1000 + sequence % 2000).toString());
        event.put("kind", "event");
        event.put("module", "endpoint");
        event.put("dataset", dataset.dataset());
        event.put("category", List.of(category));
        event.put("type", List.of(type));
        event.put("action", action);
        event.put("outcome", "success");
        doc.put("event", event);
        doc.put("host", host.hostDocument());
        return doc;
    }

    /** Executables (an {@code MZ} header) are dense; documents, logs and empty files are not. */
    private static double entropy(String headerBytes) {
        return headerBytes.regionMatches(true, 0, "4d5a", 0, 4) ? 6.42 : 4.17;
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
}
