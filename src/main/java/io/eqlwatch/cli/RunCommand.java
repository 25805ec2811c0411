package io.eqlwatch.cli;

import io.eqlwatch.cluster.ClusterDatabase;
import io.eqlwatch.cluster.ClusterException;
import io.eqlwatch.cluster.ClusterNodes;
import io.eqlwatch.cluster.QuartzSchema;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.rule.DurationText;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.schedule.SchedulerStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eqlwatch run}: the daemon. Runs every rule on its interval until SIGTERM, picks up rule
 * edits without a restart, and waits for the cluster when it is not there yet.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Runs the rules on their schedule until stopped (SIGTERM or Ctrl-C). Edits to the rules"
                + " folder take effect without a restart.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConnectionOptions connection;

    @Mixin
    RuleOptions rules;

    @Mixin
    EngineOptions engine;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    OperationsOptions operationsOptions;

    @Mixin
    NotifyOptions notify;

    @Option(
            names = "--threads",
            defaultValue = "${env:EQLWATCH_THREADS:-2}",
            description = "Rules executed at the same time; rules that fire together run as one batch spread over them"
                    + " (env EQLWATCH_THREADS; default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--watch-seconds",
            defaultValue = "${env:EQLWATCH_WATCH_SECONDS:-5}",
            description = "How often the rules folder is checked for edits (default ${DEFAULT-VALUE}).")
    int watchSeconds;

    @Option(
            names = "--shutdown-grace-seconds",
            defaultValue = "${env:EQLWATCH_SHUTDOWN_GRACE_SECONDS:-60}",
            description = "On SIGTERM, how long a running rule may take to finish (default ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Option(
            names = "--health-file",
            defaultValue = "${env:EQLWATCH_HEALTH_FILE}",
            description = "A file the daemon touches every 30 s while its scheduler runs, for container health"
                    + " checks (env EQLWATCH_HEALTH_FILE).")
    Path healthFile;

    @Option(
            names = "--history-retention",
            defaultValue = "${env:EQLWATCH_HISTORY_RETENTION:-30d}",
            description = "Delete executions older than this from the execution history, hourly; 'none' keeps them"
                    + " (env EQLWATCH_HISTORY_RETENTION; default ${DEFAULT-VALUE}).")
    String historyRetention;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private SchedulerStore schedulerStore;

    @Override
    public Integer call() throws InterruptedException {
        List<Rule> loaded =
                RuleFiles.loadUsable(rules.rules, spec.commandLine().getErr()).rules();
        notify.settings(); // a broken connectors file stops the start, not every later connection attempt
        Runtime.getRuntime().addShutdownHook(new Thread(this::requestStop, "eqlwatch-sigterm"));
        try (DaemonOperations operations = DaemonOperations.start(operationsOptions)) {
            return runUntilStopped(loaded, operations);
        } finally {
            finished.countDown();
        }
    }

    private int runUntilStopped(List<Rule> loaded, DaemonOperations operations) throws InterruptedException {
        Duration keepHistory = historyRetention();
        ConnectedServices services = connectPatiently(operations);
        if (services == null) {
            return 0;
        }
        operations.connected(services);
        try (services) {
            new Daemon(
                            services,
                            rules.rules,
                            threads,
                            Duration.ofSeconds(watchSeconds),
                            Duration.ofSeconds(graceSeconds),
                            healthFile,
                            schedulerStore,
                            operations,
                            keepHistory)
                    .runUntil(stopped, loaded);
        }
        LOG.info("eqlwatch stopped");
        return 0;
    }

    /** The history retention, or {@code null} for none; a bad value stops the start with a clear message. */
    private Duration historyRetention() {
        if ("none".equalsIgnoreCase(historyRetention.trim())) {
            return null;
        }
        try {
            return DurationText.parse(historyRetention.trim());
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("--history-retention: " + e.getMessage() + ", or none");
        }
    }

    /**
     * SIGTERM and Ctrl-C land here. The JVM keeps running while this hook waits for the main thread
     * to let running rules finish and record their state; then the process exits 0, because a
     * requested stop that completed cleanly is not a failure to a supervisor.
     */
    private void requestStop() {
        stopping = true;
        stopped.countDown();
        try {
            boolean clean = finished.await(graceSeconds + 10L, TimeUnit.SECONDS);
            Runtime.getRuntime().halt(clean ? 0 : 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isAuthorizationFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchCallException call && call.isAuthorizationFailure()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The schedule's store: this process's memory, or the cluster's database after creating Quartz's
     * tables there if need be and making sure no live node has this node's name.
     */
    private SchedulerStore joinCluster() {
        ClusterDatabase database = cluster.database();
        if (database == null) {
            return SchedulerStore.inMemory();
        }
        try {
            new QuartzSchema(database).install();
            new ClusterNodes(database).requireNameFree(database.settings().nodeName(), Instant.now());
            LOG.info("joining the {}", database.settings());
            return database.settings().schedulerStore(threads);
        } catch (ClusterException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
    }

    /** Connects, retrying with backoff while the cluster is unreachable, so the daemon can start first. */
    private ConnectedServices connectPatiently(DaemonOperations operations) throws InterruptedException {
        long delay = 2;
        while (!stopping) {
            try {
                ConnectedServices services = ConnectedServices.open(
                        connection, rules, engine, notify, cluster.node(), operations.listeners());
                try {
                    schedulerStore = joinCluster();
                } catch (UserFacingException e) {
                    services.close();
                    throw e;
                }
                return services;
            } catch (UserFacingException e) {
                if (isAuthorizationFailure(e)) {
                    // Wrong credentials or a missing privilege do not pass by waiting: exit so that the
                    // supervisor (and whoever watches it) sees the failure instead of a quiet, idle daemon.
                    throw e;
                }
                LOG.warn("cannot start yet: {} — retrying in {}s", e.getMessage(), delay);
                if (stopped.await(delay, TimeUnit.SECONDS)) {
                    return null;
                }
                delay = Math.min(delay * 2, 60);
            }
        }
        return null;
    }
}
