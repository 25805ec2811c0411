package io.eqlwatch.source;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.nodes.NodesInfoResponse;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.event.CaseFolding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the versions of a cluster's nodes decide about matching: a query runs on the node holding each shard, so a
 * cluster of mixed versions is taken at its oldest node. Read once, on first use, and kept (a node of another
 * version that joins later is seen when the process restarts).
 */
public final class NodeVersions {

    private static final Logger LOG = LoggerFactory.getLogger(NodeVersions.class);
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)");

    private final ElasticsearchClient client;
    private final String cluster;
    private final RetryPolicy retry;
    private volatile CaseFolding regexpFolding;
    /** {@link System#nanoTime} of the last failed read; 0 when none failed. */
    private volatile long lastFailure;

    static final java.time.Duration RETRY_AFTER_FAILURE = java.time.Duration.ofMinutes(10);

    public NodeVersions(ElasticsearchClient client, String cluster, RetryPolicy retry) {
        this.client = Objects.requireNonNull(client, "client");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /**
     * How the cluster's {@code regexp} query folds case; ASCII, as Elasticsearch 8 does, when versions cannot be read.
     * A refusal (no {@code monitor} privilege) or an outage is not asked again, nor logged again, for
     * {@link #RETRY_AFTER_FAILURE}: every read of mappings asks for this.
     */
    public CaseFolding regexpFolding() {
        CaseFolding known = regexpFolding;
        if (known != null) {
            return known;
        }
        long failedAt = lastFailure;
        if (failedAt != 0 && System.nanoTime() - failedAt < RETRY_AFTER_FAILURE.toNanos()) {
            return CaseFolding.ASCII;
        }
        List<String> versions = new ArrayList<>();
        try {
            NodesInfoResponse info = retry.run("Reading the node versions of " + cluster, () -> client.nodes()
                    .info(n -> n.nodeId("_all").metric("_none")));
            info.nodes().values().forEach(node -> versions.add(node.version()));
        } catch (RuntimeException e) {
            lastFailure = System.nanoTime();
            LOG.warn(
                    "Could not read the node versions of {} ({}); regex~ folds ASCII case only, as Elasticsearch"
                            + " before 9.1 does, and asks again in {} minutes",
                    cluster,
                    e.getMessage(),
                    RETRY_AFTER_FAILURE.toMinutes());
            return CaseFolding.ASCII;
        }
        known = regexpFoldingOf(versions);
        regexpFolding = known;
        return known;
    }

    /**
     * Lucene 10.2 (Elasticsearch 9.1) made the {@code ASCII_CASE_INSENSITIVE} flag Elasticsearch passes for a
     * case-insensitive {@code regexp} fold Unicode case; older nodes fold ASCII letters only.
     */
    static CaseFolding regexpFoldingOf(Collection<String> versions) {
        if (versions.isEmpty()) {
            return CaseFolding.ASCII;
        }
        for (String version : versions) {
            Matcher m = version == null ? null : MAJOR_MINOR.matcher(version);
            if (m == null || !m.lookingAt()) {
                return CaseFolding.ASCII;
            }
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            if (major < 9 || (major == 9 && minor < 1)) {
                return CaseFolding.ASCII;
            }
        }
        return CaseFolding.UNICODE;
    }
}
