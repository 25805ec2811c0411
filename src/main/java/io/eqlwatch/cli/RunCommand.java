package io.eqlwatch.cli;

import io.eqlwatch.rule.DurationText;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleFolderWatcher;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.schedule.HistoryRetention;
import io.eqlwatch.schedule.RuleScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eqlwatch run}: the daemon. Runs every rule on its interval until SIGTERM, picks up rule
 * edits without a restart, and waits for the cluster when it is not there yet.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
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
    OperationsOptions operationsOptions;

    @Option(names = "--threads", defaultValue = "${env:EQLWATCH_THREADS:-2}",
            description = "Rules that may run at the same time (env EQLWATCH_THREADS; default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--watch-seconds", defaultValue = "${env:EQLWATCH_WATCH_SECONDS:-5}",
            description = "How often the rules folder is checked for edits (default ${DEFAULT-VALUE}).")
    int watchSeconds;

    @Option(names = "--shutdown-grace-seconds", defaultValue = "${env:EQLWATCH_SHUTDOWN_GRACE_SECONDS:-60}",
            description = "On SIGTERM, how long a running rule may take to finish (default ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Option(names = "--health-file", defaultValue = "${env:EQLWATCH_HEALTH_FILE}",
            description = "A file the daemon touches every 30 s while its scheduler runs, for container health"
                    + " checks (env EQLWATCH_HEALTH_FILE).")
    Path healthFile;

    @Option(names = "--history-retention", defaultValue = "${env:EQLWATCH_HISTORY_RETENTION:-30d}",
            description = "Delete executions older than this from the execution history, hourly; 'none' keeps them"
                    + " (env EQLWATCH_HISTORY_RETENTION; default ${DEFAULT-VALUE}).")
    String historyRetention;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;

    @Override
    public Integer call() throws InterruptedException {
        List<Rule> loaded = RuleFiles.loadAll(rules.rules);
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
        ScheduledExecutorService watcherThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "eqlwatch-rule-watcher");
            thread.setDaemon(true);
            return thread;
        });
        try (services; RuleScheduler scheduler = new RuleScheduler(services.executor, Clock.systemUTC(), threads)) {
            scheduler.apply(loaded);
            operations.scheduled(loaded);
            scheduler.start();
            RuleFolderWatcher watcher = new RuleFolderWatcher(rules.rules, new RuleLoader(), edited -> {
                scheduler.apply(edited);
                operations.scheduled(edited);
            });
            watcher.start(loaded);
            watcherThread.scheduleWithFixedDelay(watcher::poll, watchSeconds, watchSeconds, TimeUnit.SECONDS);
            if (keepHistory != null) {
                HistoryRetention retention = new HistoryRetention(services.state, keepHistory, Clock.systemUTC());
                watcherThread.scheduleWithFixedDelay(retention::prune, 1, 60, TimeUnit.MINUTES);
            }
            if (healthFile != null) {
                watcherThread.scheduleWithFixedDelay(() -> touchHealthFileIfClusterAnswers(services), 0, 30,
                        TimeUnit.SECONDS);
            }
            LOG.info("eqlwatch running {} rule(s) against {}, alerts to {}", loaded.size(), services.url,
                    services.alertIndex.name());
            stopped.await();
            LOG.info("stopping: letting running rules finish (up to {}s)", graceSeconds);
            watcherThread.shutdownNow();
            scheduler.shutdown(Duration.ofSeconds(graceSeconds));
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

    /** Healthy means: the scheduler is running and the cluster answers; a stale file tells the container runtime. */
    private void touchHealthFileIfClusterAnswers(ConnectedServices services) {
        try {
            services.client.cluster().health(h -> h.timeout(t -> t.time("5s")));
            Files.writeString(healthFile, Instant.now().toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("health: not touching {}: {}", healthFile, e.getMessage());
        }
    }

    /** Connects, retrying with backoff while the cluster is unreachable, so the daemon can start first. */
    private ConnectedServices connectPatiently(DaemonOperations operations) throws InterruptedException {
        long delay = 2;
        while (!stopping) {
            try {
                return ConnectedServices.open(connection, rules, engine, operations.listener());
            } catch (UserFacingException e) {
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
