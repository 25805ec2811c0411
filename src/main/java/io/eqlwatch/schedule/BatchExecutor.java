package io.eqlwatch.schedule;

import io.eqlwatch.engine.Match;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.EventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes the rules due at one instant together, so that what a run costs grows with the data
 * read rather than with the number of rules: the checkpoints of all of them read in one request,
 * the mappings of each distinct list of index patterns read once, the rules that read the same
 * indices over the same window served by one {@link SharedRead}, and the checkpoints and
 * executions written in one request at the end.
 *
 * <p>Each rule is still executed by the {@link RuleExecutor} on its own: its own matcher, alert
 * cap, alerts, checkpoint and errors. A rule whose mapping cannot be read, whose matching fails or
 * whose alerts are refused fails alone; a shared read that fails makes its rules read alone.
 */
public final class BatchExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchExecutor.class);

    /**
     * Shared reads made at once: most groups of a large rule set read little or nothing, and each costs round trips
     * (a point in time opened and closed, a first page) that are better spent beside another group's read than
     * after it. Two, because each read holds up to two pages in memory.
     */
    static final int SHARED_READS_AT_ONCE = 2;

    private final RuleExecutor executor;
    private final SharedRead shared;
    private final Executor workers;

    /**
     * @param executor executes each rule; its mappings, state and detection are the cluster's
     * @param source   where shared reads read from (the same cluster as the executor's detection)
     * @param pageSize hits per search page of a shared read
     */
    public BatchExecutor(RuleExecutor executor, EventSource source, int pageSize) {
        this(executor, new SharedRead(source, pageSize), Runnable::run);
    }

    private BatchExecutor(RuleExecutor executor, SharedRead shared, Executor workers) {
        this.executor = executor;
        this.shared = shared;
        this.workers = workers;
    }

    /**
     * This batch executor with the rules' own executions (matching what was read, writing alerts) spread over
     * {@code workers}; the shared reads and the state requests stay on the calling thread. Without it the rules
     * execute one after another: fine for reads alone, but a rule's alert write waits for the cluster's refresh, and
     * a batch of rules that all alert would wait for each in turn.
     */
    public BatchExecutor on(Executor workers) {
        return new BatchExecutor(executor, shared, workers);
    }

    /** Executes the rules (all enabled) as if the clock read {@code now}; one summary per rule, in order. */
    public List<ExecutionSummary> execute(List<Rule> rules, java.time.Instant now) {
        return execute(rules, now, () -> {});
    }

    /**
     * As {@link #execute(List, java.time.Instant)}, running {@code planned} once every rule's plan has been made
     * (or has failed) and before any event is read: the end of the batch's one-off preparation.
     */
    public List<ExecutionSummary> execute(List<Rule> rules, java.time.Instant now, Runnable planned) {
        if (rules.isEmpty()) {
            planned.run();
            return List.of();
        }
        BatchRunState state;
        try {
            state = BatchRunState.of(
                    executor.state(), rules.stream().map(Rule::ruleId).toList());
        } catch (RuntimeException e) {
            // Each rule then reads its own checkpoint and reports the failure as its own.
            LOG.warn(
                    "the checkpoints of {} rules could not be read at once ({}); each rule reads its own",
                    rules.size(),
                    e.getMessage());
            planned.run();
            return rules.stream().map(rule -> executor.execute(rule, now)).toList();
        }
        BatchMappings mappings = new BatchMappings(executor.mappings(), rules);
        Map<String, SharedRead.Found> found = readShared(rules, now, state, mappings, planned);
        RuleExecutor batch = executor.forBatch(mappings, state, new SharedDetection(found, executor.detection()));
        List<CompletableFuture<RuleExecutor.Finished>> running = new ArrayList<>();
        for (Rule rule : rules) {
            running.add(CompletableFuture.supplyAsync(() -> batch.executeUntold(rule, now), workers));
        }
        List<RuleExecutor.Finished> finished =
                running.stream().map(CompletableFuture::join).toList();
        Map<String, String> unrecorded = state.flush();
        List<ExecutionSummary> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            ExecutionSummary summary = finished.get(i).summary();
            String reason = unrecorded.get(summary.ruleId());
            if (reason != null && !summary.failed()) {
                LOG.error(
                        "rule {} ({}): its state could not be recorded: {}",
                        summary.ruleName(),
                        summary.ruleId(),
                        reason);
                summary = failed(summary, "its checkpoint or execution could not be recorded: " + reason);
            }
            // Told only now, of the outcome as recorded: metrics and health must not count as a success an
            // execution whose checkpoint the cluster then refused.
            batch.tell(summary, rules.get(i), finished.get(i).createdIds());
            out.add(summary);
        }
        return out;
    }

    /** The shared reads of the rules that can share one, by rule id; the others are absent. */
    private Map<String, SharedRead.Found> readShared(
            List<Rule> rules, java.time.Instant now, BatchRunState state, BatchMappings mappings, Runnable planned) {
        Map<SharedRead.Key, List<RulePlan>> groups = new LinkedHashMap<>();
        RuleCompiler compiler = executor.compilerOver(mappings);
        // Compiled on every core: each rule's plan is its own, and each failure stays with its rule.
        List<Compiled> compiled =
                rules.parallelStream().map(rule -> Compiled.of(compiler, rule)).toList();
        planned.run();
        for (Compiled each : compiled) {
            Rule rule = each.rule();
            try {
                RulePlan plan = each.plan();
                WindowPlan windows = executor.planner()
                        .plan(plan, state.checkpoint(rule.ruleId()).orElse(null), now);
                SharedRead.Key key = SharedRead.keyOf(plan, windows);
                if (key != null) {
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(plan);
                }
            } catch (RuntimeException e) {
                // The rule's own execution meets the same failure and reports it.
                LOG.debug("rule {}: reads alone: {}", rule.name(), e.getMessage());
            }
        }
        LOG.debug(
                "{} rules in {} groups: {}",
                rules.size(),
                groups.size(),
                groups.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().size())
                        .toList());
        List<CompletableFuture<Map<String, SharedRead.Found>>> reads = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(SHARED_READS_AT_ONCE, task -> {
            Thread thread = new Thread(task, "eqlwatch-shared-read");
            thread.setDaemon(true);
            return thread;
        });
        try {
            groups.forEach((key, plans) -> {
                if (plans.size() >= 2) {
                    reads.add(CompletableFuture.supplyAsync(() -> readGroup(key, plans, mappings), readers));
                }
            });
            Map<String, SharedRead.Found> found = new HashMap<>();
            reads.forEach(read -> found.putAll(read.join()));
            return found;
        } finally {
            readers.shutdown();
        }
    }

    /** One group's shared read; an empty answer (each of its rules then reads alone) when it cannot be made. */
    private Map<String, SharedRead.Found> readGroup(SharedRead.Key key, List<RulePlan> plans, BatchMappings mappings) {
        try {
            Set<String> indices = new TreeSet<>();
            plans.forEach(plan -> indices.addAll(plan.read().indices()));
            return shared.read(key, plans, new IndexMembership(mappings, indices));
        } catch (RuntimeException e) {
            LOG.warn(
                    "the indices of {} rules could not be resolved ({}); each of them reads alone",
                    plans.size(),
                    e.getMessage());
            return Map.of();
        }
    }

    /** A rule's plan, or why it could not be made. */
    private record Compiled(Rule rule, RulePlan compiled, RuntimeException failure) {
        static Compiled of(RuleCompiler compiler, Rule rule) {
            try {
                return new Compiled(rule, compiler.compile(rule), null);
            } catch (RuntimeException e) {
                return new Compiled(rule, null, e);
            }
        }

        RulePlan plan() {
            if (failure != null) {
                throw failure;
            }
            return compiled;
        }
    }

    private static ExecutionSummary failed(ExecutionSummary summary, String error) {
        return new ExecutionSummary(
                summary.ruleId(),
                summary.ruleName(),
                summary.executionId(),
                summary.started(),
                summary.took(),
                summary.windows(),
                summary.eventsRead(),
                summary.sequencesFound(),
                summary.alertsWritten(),
                summary.duplicatesSkipped(),
                summary.droppedByCap(),
                summary.warnings(),
                error,
                summary.peakOpenSequences(),
                summary.checkpointLag(),
                summary.unfilledGap() == null ? Duration.ZERO : summary.unfilledGap());
    }

    /** Serves each rule what its shared read found, and reads alone for any other rule or window. */
    private record SharedDetection(Map<String, SharedRead.Found> found, WindowDetector alone)
            implements WindowDetector {

        @Override
        public WindowDetection.Result detect(RulePlan plan, TimeWindow window) {
            SharedRead.Found mine = found.get(plan.rule().ruleId());
            if (mine == null || !mine.window().equals(window)) {
                return alone.detect(plan, window);
            }
            if (mine.failure() != null) {
                throw mine.failure();
            }
            return mine.result();
        }

        @Override
        public List<Match> withFullSources(List<Match> matches) {
            return alone.withFullSources(matches);
        }
    }
}
