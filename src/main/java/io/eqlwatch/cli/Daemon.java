package io.eqlwatch.cli;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleFolderWatcher;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.schedule.BatchExecutor;
import io.eqlwatch.schedule.CoalescingRunner;
import io.eqlwatch.schedule.HistoryRetention;
import io.eqlwatch.schedule.RuleScheduler;
import io.eqlwatch.schedule.SchedulerStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon, for {@code run} and {@code demo --keep-running} alike: every enabled rule on its
 * interval, edits to the rules folder applied without a restart, an optional health file touched
 * while the cluster answers, and on stop a grace period for running rules to record their state.
 */
final class Daemon {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    /**
     * Rules whose fires arrive within this of each other run as one batch. Rules scheduled together fire within
     * milliseconds of each other; the margin is for a clustered store's round trips and a busy machine.
     */
    private static final Duration GATHER = Duration.ofMillis(500);

    /** The most rules in one batch: enough that Elastic's whole rule set makes a handful of batches. */
    private static final int MAX_BATCH = 64;

    private static final AtomicInteger WORKER_NUMBER = new AtomicInteger();

    private final ConnectedServices services;
    private final Path rulesFolder;
    private final int threads;
    private final Duration watchEvery;
    private final Duration grace;
    private final Path healthFile;
    private final SchedulerStore store;
    private final DaemonOperations operations;
    private final Duration keepHistory;

    /** @param healthFile touched every 30 s while the cluster answers; {@code null} for none */
    Daemon(
            ConnectedServices services,
            Path rulesFolder,
            int threads,
            Duration watchEvery,
            Duration grace,
            Path healthFile) {
        this(
                services,
                rulesFolder,
                threads,
                watchEvery,
                grace,
                healthFile,
                SchedulerStore.inMemory(),
                DaemonOperations.none(),
                null);
    }

    /**
     * @param store       where the schedule lives: this process's memory, or a cluster's database
     * @param operations  told which rules are scheduled (the metrics and health endpoint)
     * @param keepHistory executions older than this are deleted from the history, hourly; {@code null} keeps them
     */
    Daemon(
            ConnectedServices services,
            Path rulesFolder,
            int threads,
            Duration watchEvery,
            Duration grace,
            Path healthFile,
            SchedulerStore store,
            DaemonOperations operations,
            Duration keepHistory) {
        this.store = store;
        this.operations = operations;
        this.keepHistory = keepHistory;
        this.services = services;
        this.rulesFolder = rulesFolder;
        this.threads = threads;
        this.watchEvery = watchEvery;
        this.grace = grace;
        this.healthFile = healthFile;
    }

    /** Schedules the rules and runs them until {@code stop} is counted down, then lets running rules finish. */
    void runUntil(CountDownLatch stop, List<Rule> loaded) throws InterruptedException {
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "eqlwatch-rule-watcher");
            thread.setDaemon(true);
            return thread;
        });
        // --threads rules execute at once, in batches or alone, as before there were batches.
        ExecutorService ruleWorkers = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "eqlwatch-rule-" + WORKER_NUMBER.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        BatchExecutor batch = services.batch.on(ruleWorkers);
        CoalescingRunner runner = new CoalescingRunner(services.executor, batch::execute, threads, GATHER, MAX_BATCH);
        try {
            schedule(stop, loaded, runner, background);
        } finally {
            // After the scheduler's shutdown: the batches still running had their grace period to finish.
            ruleWorkers.shutdownNow();
        }
    }

    private void schedule(
            CountDownLatch stop, List<Rule> loaded, CoalescingRunner runner, ScheduledExecutorService background)
            throws InterruptedException {
        try (RuleScheduler scheduler =
                new RuleScheduler(runner, Clock.systemUTC(), CoalescingRunner.jobThreads(threads, MAX_BATCH), store)) {
            if (services.notifications != null) {
                services.notifications.check(loaded).forEach(problem -> LOG.warn("{}", problem));
                services.notifications.register(loaded);
                // Before the first execution: what a previous process left in the outbox goes out first.
                services.notifications.start();
            }
            scheduler.apply(loaded);
            operations.scheduled(loaded);
            scheduler.start();
            RuleFolderWatcher watcher = new RuleFolderWatcher(rulesFolder, new RuleLoader(), rules -> {
                if (services.notifications != null) {
                    services.notifications.register(rules);
                }
                scheduler.apply(rules);
                operations.scheduled(rules);
            });
            watcher.start(loaded);
            background.scheduleWithFixedDelay(
                    watcher::poll, watchEvery.toMillis(), watchEvery.toMillis(), TimeUnit.MILLISECONDS);
            if (keepHistory != null) {
                HistoryRetention retention = new HistoryRetention(services.state, keepHistory, Clock.systemUTC());
                background.scheduleWithFixedDelay(retention::prune, 1, 60, TimeUnit.MINUTES);
            }
            if (healthFile != null) {
                background.scheduleWithFixedDelay(this::touchHealthFileIfClusterAnswers, 0, 30, TimeUnit.SECONDS);
            }
            LOG.info(
                    "eqlwatch running {} rule(s) against {}, alerts to {}, schedule in the {}",
                    loaded.size(),
                    services.url,
                    services.alertIndex.name(),
                    store);
            stop.await();
            LOG.info("stopping: letting running rules finish (up to {}s)", grace.toSeconds());
            background.shutdownNow();
            scheduler.shutdown(grace);
        }
    }

    /** Healthy means: the scheduler is running and the cluster answers; a stale file tells the container runtime. */
    private void touchHealthFileIfClusterAnswers() {
        try {
            services.client.cluster().health(h -> h.timeout(t -> t.time("5s")));
            Files.writeString(healthFile, Instant.now().toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("health: not touching {}: {}", healthFile, e.getMessage());
        }
    }
}
