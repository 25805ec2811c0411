package io.eqlwatch.cluster;

import io.eqlwatch.schedule.SchedulerStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How this node joins a cluster of eqlwatch daemons: the PostgreSQL database holding Quartz's shared
 * schedule, this node's name in it, and how often nodes check in (which bounds how soon a dead
 * node's rules move to the others).
 *
 * @param jdbcUrl         e.g. {@code jdbc:postgresql://db:5432/eqlwatch}
 * @param password        {@code null} when the database needs none; never printed
 * @param nodeName        unique among the nodes; Quartz's instance id and the {@code node} of each execution
 * @param checkinInterval how often this node records that it is alive; a node silent for about this
 *                        interval plus 7.5 s counts as dead and its rules are taken over
 */
public record ClusterSettings(String jdbcUrl, String user, String password, String nodeName, Duration checkinInterval) {

    private static final String DATA_SOURCE = "eqlwatch";

    public ClusterSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(nodeName, "nodeName");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the cluster database must be PostgreSQL: expected a URL starting"
                    + " with jdbc:postgresql:, got " + redact(jdbcUrl));
        }
        if (checkinInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(
                    "the cluster check-in interval must be at least 1 s, got " + checkinInterval);
        }
        if (nodeName.isBlank() || nodeName.length() > 190) {
            throw new IllegalArgumentException("the node name must be 1 to 190 characters, got '" + nodeName + "'");
        }
    }

    /** The URL without its query string, which may carry a password. */
    public String safeUrl() {
        return redact(jdbcUrl);
    }

    private static String redact(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?…";
    }

    /**
     * Quartz's JDBC job store in clustered mode on this database. Job data is kept as properties
     * (strings only), so that nodes of different eqlwatch builds read each other's jobs.
     *
     * @param threads the node's rule threads; the pool has a few connections more for Quartz's own
     *                check-in and misfire work, as Quartz's documentation advises
     */
    public SchedulerStore schedulerStore(int threads) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("org.quartz.scheduler.instanceId", nodeName);
        // How far ahead a node claims triggers and how long it sleeps when idle: short, so that a rule
        // released by a dead node is picked up promptly and no node hoards the next minute's fires.
        p.put("org.quartz.scheduler.idleWaitTime", "2000");
        // A fire claimed a few seconds late (a slow database round trip, a busy node) still runs as it is; with
        // the in-memory store's one second, Quartz re-queues such a fire behind the others instead, and under
        // load some rules then wait minutes. Five seconds still folds the fires a long run missed into one.
        p.put("org.quartz.jobStore.misfireThreshold", "5000");
        p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.put("org.quartz.jobStore.dataSource", DATA_SOURCE);
        p.put("org.quartz.jobStore.tablePrefix", QuartzSchema.TABLE_PREFIX);
        p.put("org.quartz.jobStore.isClustered", "true");
        p.put("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinInterval.toMillis()));
        p.put("org.quartz.jobStore.useProperties", "true");
        // Claim triggers under the database row lock: two nodes never both take one fire.
        p.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        // One trigger per claim, as Quartz's default: the nodes then take turns at the lock, so a fire of many rules
        // is spread over them, and each node still runs the share it claimed within moments as one batch. Claiming
        // many at once would hand a whole fire to whichever node asked first.
        p.put("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", "1");
        String ds = "org.quartz.dataSource." + DATA_SOURCE + ".";
        p.put(ds + "provider", "hikaricp");
        p.put(ds + "driver", "org.postgresql.Driver");
        p.put(ds + "URL", jdbcUrl);
        if (user != null) {
            p.put(ds + "user", user);
        }
        if (password != null) {
            p.put(ds + "password", password);
        }
        p.put(ds + "maxConnections", Integer.toString(threads + 3));
        return new SchedulerStore(true, p);
    }

    @Override
    public String toString() {
        return "cluster " + safeUrl() + " as node " + nodeName + " (check-in every " + checkinInterval.toSeconds()
                + "s)";
    }
}
