package io.eqlwatch.testing;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.demo.DefendDataset;
import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.DefendIndexTemplates;
import io.eqlwatch.demo.DemoDataLoader;
import io.eqlwatch.demo.GeneratedEvent;
import io.eqlwatch.es.ElasticsearchClients;
import io.eqlwatch.es.ElasticsearchConnection;
import io.eqlwatch.es.LocalElasticsearch;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.elasticsearch.ElasticsearchContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The one real Elasticsearch that all integration tests of a JVM share. Where it comes from, first that
 * applies:
 * <ol>
 *   <li>{@code $ES_URL} (or {@code -Deqlwatch.es.url}): an existing cluster; credentials from
 *       {@code ES_API_KEY} or {@code ES_USERNAME}/{@code ES_PASSWORD}, CA from {@code ES_CA_CERT};</li>
 *   <li>Testcontainers, when a Docker engine is available;</li>
 *   <li>the integ-test-zip from the local Maven repository, started by {@link LocalElasticsearch}.</li>
 * </ol>
 * The version started is {@code -Deqlwatch.es.version} (the build runs the suite once with 8.19 and once
 * with 9.x). It starts on first use and stops when the JVM exits. It never skips: if no Elasticsearch can be
 * had, {@link #shared()} throws, saying why, and every test using it fails.
 *
 * <pre>{@code
 * static final ElasticsearchHarness es = ElasticsearchHarness.shared();
 * String index = es.uniqueIndexName("logs-endpoint.events.network");
 * es.createIndex(index, DefendDataset.NETWORK);
 * es.bulkIndex(index, List.of(Map.of("@timestamp", "2024-05-01T10:00:00Z", "host", Map.of("id", "h1"))));
 * assertEquals(1, es.client().count(c -> c.index(index)).count());
 * }</pre>
 */
public final class ElasticsearchHarness {

    public static final String VERSION_PROPERTY = "eqlwatch.es.version";
    public static final String DEFAULT_VERSION = "8.19.21";

    private static final ObjectMapper JSON = ElasticsearchClients.objectMapper();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final String RUN_ID = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    /** In the name of everything {@link #uniqueIndexName} names, and of nothing else. */
    private static final String RUN_TOKEN = "-it" + RUN_ID + "-";

    private static ElasticsearchHarness shared;
    private static RuntimeException startFailure;

    private final String url;
    private final String origin;
    private final ElasticsearchClient client;
    private final String serverVersion;
    private boolean templatesInstalled;

    private ElasticsearchHarness(String url, String origin) {
        this(ElasticsearchConnection.fromEnvironment(url), origin, false);
    }

    /**
     * @param outlivesRun the cluster is the caller's and stays up after the run ({@code ES_URL}): what the run
     *                    created there is deleted on exit, since its names match rules' patterns such as
     *                    {@code logs-endpoint.events.*} and would slow, or be read by, whatever uses the
     *                    cluster next
     */
    private ElasticsearchHarness(ElasticsearchConnection connection, String origin, boolean outlivesRun) {
        this.url = connection.url();
        this.origin = origin;
        this.client = ElasticsearchClients.create(connection);
        this.serverVersion = readServerVersion(client);
        // One hook for both: the JVM runs its hooks concurrently, and the clean-up needs the open client.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (outlivesRun) {
                                new RunLeftovers(client, RUN_TOKEN).delete();
                            }
                            try {
                                client.close();
                            } catch (IOException ignored) {
                                // JVM is exiting.
                            }
                        },
                        "close-harness-client"));
    }

    /**
     * The shared Elasticsearch, started on the first call. Throws {@link IllegalStateException} with the reason
     * when none can be had (and again on every later call, without retrying the start).
     */
    public static synchronized ElasticsearchHarness shared() {
        if (shared != null) {
            return shared;
        }
        if (startFailure != null) {
            throw new IllegalStateException(
                    "No Elasticsearch for the integration tests (see the first failure): " + startFailure.getMessage(),
                    startFailure);
        }
        try {
            shared = start();
            System.out.println("[ElasticsearchHarness] Using Elasticsearch " + shared.serverVersion + " at "
                    + shared.url + " (" + shared.origin + ")");
            return shared;
        } catch (RuntimeException e) {
            startFailure = e;
            throw new IllegalStateException("No Elasticsearch for the integration tests: " + e.getMessage(), e);
        }
    }

    /** A harness on a cluster of the caller's (e.g. {@link SecuredElasticsearch}'s), as the given user. */
    static ElasticsearchHarness on(ElasticsearchConnection connection, String origin) {
        return new ElasticsearchHarness(connection, origin, false);
    }

    /** The version to start (ignored when ES_URL is given). */
    public static String requestedVersion() {
        String v = System.getProperty(VERSION_PROPERTY);
        return v == null || v.isBlank() ? DEFAULT_VERSION : v.trim();
    }

    private static ElasticsearchHarness start() {
        String url = firstNonBlank(System.getProperty("eqlwatch.es.url"), System.getenv("ES_URL"));
        if (url != null) {
            return new ElasticsearchHarness(ElasticsearchConnection.fromEnvironment(url), "ES_URL", true);
        }
        String version = requestedVersion();
        String dockerProblem = dockerProblem();
        if (dockerProblem == null) {
            return startContainer(version);
        }
        LocalElasticsearch local;
        try {
            local = LocalElasticsearch.builder(version)
                    .startupTimeout(Duration.ofMinutes(4))
                    .start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "ES_URL is not set, Docker is unavailable (" + dockerProblem
                            + "), and the local integ-test-zip of Elasticsearch " + version + " could not be started: "
                            + e.getMessage(),
                    e);
        }
        // LocalElasticsearch stops itself in a JVM shutdown hook.
        return new ElasticsearchHarness(
                local.url(),
                "integ-test-zip " + version + " started locally, pid " + local.pid() + "; Docker unavailable: "
                        + dockerProblem);
    }

    /** Null when Docker can be used, else why not. {@code -Deqlwatch.es.docker=false} turns it off. */
    private static String dockerProblem() {
        if ("false".equalsIgnoreCase(System.getProperty("eqlwatch.es.docker"))) {
            return "disabled by -Deqlwatch.es.docker=false";
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable() ? null : "no Docker environment found";
        } catch (Throwable t) {
            return "Docker check failed: " + t;
        }
    }

    @SuppressWarnings("resource") // stopped by the shutdown hook below (and by Testcontainers' reaper)
    private static ElasticsearchHarness startContainer(String version) {
        ElasticsearchContainer container = new ElasticsearchContainer(
                        DockerImageName.parse("docker.elastic.co/elasticsearch/elasticsearch")
                                .withTag(version))
                .withEnv("xpack.security.enabled", "false")
                .withEnv("discovery.type", "single-node")
                .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
                .withStartupTimeout(Duration.ofMinutes(4));
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-elasticsearch-container"));
        return new ElasticsearchHarness("http://" + container.getHttpHostAddress(), "Testcontainers " + version);
    }

    public ElasticsearchClient client() {
        return client;
    }

    /** e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    /** The version the server reports, e.g. {@code 9.2.0}. */
    public String serverVersion() {
        return serverVersion;
    }

    /** Where the cluster came from (ES_URL, Testcontainers, integ-test-zip). */
    public String origin() {
        return origin;
    }

    /**
     * A lowercase index name no other test of this run uses: {@code prefix-<run>-<n>}. A prefix like
     * {@code logs-endpoint.events.file} keeps it matching the rule's index patterns.
     */
    public String uniqueIndexName(String prefix) {
        return (prefix + RUN_TOKEN + COUNTER.incrementAndGet()).toLowerCase(Locale.ROOT);
    }

    /** Creates {@code index} with Elastic Defend-like mappings of the dataset (file or network events). */
    public void createIndex(String index, DefendDataset dataset) {
        DefendIndexTemplates.createIndex(client, index, dataset);
    }

    /** Creates {@code index} with the given mappings ({@code {"properties": ...}}), one shard, no replica. */
    public void createIndex(String index, JsonNode mappings) {
        String body = JSON.createObjectNode()
                .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                        "settings",
                        JSON.createObjectNode().put("number_of_shards", 1).put("number_of_replicas", 0))
                .set("mappings", mappings)
                .toString();
        call(() -> client.indices().create(r -> r.index(index).withJson(new StringReader(body))));
    }

    /**
     * Indexes the documents (each a JSON-like {@code Map}, or anything Jackson serialises) in one bulk request
     * with {@code refresh=wait_for}, so they are searchable when this returns. Ids are generated. Fails with
     * every item's error if any document is rejected.
     *
     * @return the generated {@code _id}s, in document order
     */
    public List<String> bulkIndex(String index, List<?> documents) {
        return bulk(index, documents, null);
    }

    /** As {@link #bulkIndex(String, List)} but with the given {@code _id}s (same order, same size). */
    public List<String> bulkIndex(String index, List<?> documents, List<String> ids) {
        if (ids.size() != documents.size()) {
            throw new IllegalArgumentException(ids.size() + " ids for " + documents.size() + " documents");
        }
        return bulk(index, documents, ids);
    }

    private List<String> bulk(String index, List<?> documents, List<String> ids) {
        if (documents.isEmpty()) {
            return List.of();
        }
        List<BulkOperation> operations = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            Object document = documents.get(i);
            String id = ids == null ? null : ids.get(i);
            operations.add(
                    BulkOperation.of(op -> op.index(ix -> ix.index(index).id(id).document(document))));
        }
        BulkResponse response =
                call(() -> client.bulk(b -> b.refresh(Refresh.WaitFor).operations(operations)));
        List<String> errors = new ArrayList<>();
        List<String> created = new ArrayList<>(documents.size());
        for (BulkResponseItem item : response.items()) {
            if (item.error() != null) {
                errors.add(item.id() + ": " + item.error().type() + " "
                        + item.error().reason());
            }
            created.add(item.id());
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("Bulk indexing into " + index + " rejected " + errors.size() + " of "
                    + documents.size() + " documents: " + errors);
        }
        return created;
    }

    /**
     * Writes generated Defend events (see {@link DefendEventGenerator}) to
     * {@code logs-endpoint.events.{file,network}-<namespace>}, mapped by the Defend-like templates (installed
     * on first use), searchable on return. Use a namespace from {@link #uniqueIndexName(String)}.
     *
     * @return the indices written, for {@link #deleteIndices(String...)}
     */
    public String[] indexEvents(String namespace, List<GeneratedEvent> events) {
        installDefendTemplates();
        return new DemoDataLoader(client).write(events, namespace).keySet().toArray(String[]::new);
    }

    /** Installs the Defend-like index templates once per JVM. */
    public synchronized void installDefendTemplates() {
        if (!templatesInstalled) {
            DefendIndexTemplates.install(client);
            templatesInstalled = true;
        }
    }

    /** Makes everything written so far searchable. */
    public void refresh(String... indices) {
        call(() -> client.indices().refresh(r -> r.index(List.of(indices))));
    }

    /**
     * Deletes the indices by exact name (wildcards are refused by the cluster's default
     * {@code action.destructive_requires_name}); missing ones are ignored.
     */
    public void deleteIndices(String... indices) {
        for (String index : indices) {
            if (index.contains("*") || index.contains(",")) {
                throw new IllegalArgumentException("Delete indices by exact name, not '" + index + "'");
            }
        }
        if (indices.length > 0) {
            call(() -> client.indices().delete(r -> r.index(List.of(indices)).ignoreUnavailable(true)));
        }
    }

    /** Parses a JSON string (handy for mappings and documents in tests). */
    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Bad JSON in test: " + text, e);
        }
    }

    private static String readServerVersion(ElasticsearchClient client) {
        // GET / answers 405 on the integ-test-zip, so ask the nodes API (low-level: the typed NodeInfo
        // insists on sections a filtered response leaves out).
        try {
            RestClient rest = ((RestClientTransport) client._transport()).restClient();
            Response response = rest.performRequest(new Request("GET", "/_nodes/_local?filter_path=nodes.*.version"));
            JsonNode nodes = JSON.readTree(response.getEntity().getContent()).path("nodes");
            return nodes.elements().next().path("version").asText();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Elasticsearch at " + client + " does not answer GET /_nodes: " + e, e);
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T run() throws IOException;
    }

    private static <T> T call(IoCall<T> call) {
        try {
            return call.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
