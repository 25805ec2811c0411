package io.eqlwatch.schedule;

import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.FieldTypeLookup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduled execution of one rule, end to end: plan the windows since the checkpoint, run them
 * through the {@link RunLoop} with the rule's {@code max_signals} as the budget and the rule's
 * checkpoint as the policy, record the execution, and tell the listeners.
 *
 * <p>The checkpoint moves only past a window whose alerts are all written. When {@code max_signals}
 * stops a window short, the checkpoint is left so that the next execution reads that window again:
 * its written alerts are then skipped as duplicates and the dropped ones written.
 */
public final class RuleExecutor implements RuleRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RuleExecutor.class);

    private final FieldTypeLookup mappings;
    private final RunLoop loop;
    private final AlertSink sink;
    private final RunStateStore state;
    private final WindowPlanner planner;
    private final Clock wallClock;
    private final List<ExecutionListener> listeners;
    private final RuleCompiler compiler;
    private final AlertSinks sinks;
    private final StandingWarnings standing;

    public RuleExecutor(
            FieldTypeLookup mappings,
            RunLoop loop,
            AlertSink sink,
            RunStateStore state,
            WindowPlanner planner,
            Clock wallClock,
            List<ExecutionListener> listeners) {
        this(
                mappings,
                loop,
                sink,
                state,
                planner,
                wallClock,
                listeners,
                new RuleCompiler(mappings),
                null,
                new StandingWarnings());
    }

    private RuleExecutor(
            FieldTypeLookup mappings,
            RunLoop loop,
            AlertSink sink,
            RunStateStore state,
            WindowPlanner planner,
            Clock wallClock,
            List<ExecutionListener> listeners,
            RuleCompiler compiler,
            AlertSinks sinks,
            StandingWarnings standing) {
        this.mappings = mappings;
        this.standing = standing;
        this.compiler = compiler;
        this.loop = loop;
        this.sink = sink;
        this.state = state;
        this.planner = planner;
        this.wallClock = wallClock;
        this.listeners = List.copyOf(listeners);
        this.sinks = sinks == null ? new AlertSinks(sink, loop.spaceId()) : sinks;
    }

    /**
     * This executor over a batch's collaborators: mappings read once for the batch, state read and
     * written in bulk, matches found by the batch's shared reads. The compiled plans and the
     * suppressing sinks (which remember alerts across executions) stay this executor's.
     */
    RuleExecutor forBatch(FieldTypeLookup batchMappings, RunStateStore batchState, WindowDetector detection) {
        return new RuleExecutor(
                batchMappings,
                loop.withDetection(detection),
                sink,
                batchState,
                planner,
                wallClock,
                listeners,
                compiler.over(batchMappings),
                sinks,
                standing);
    }

    FieldTypeLookup mappings() {
        return mappings;
    }

    RunStateStore state() {
        return state;
    }

    /** Compiles rules against the given mappings (a batch's), into this executor's plans. */
    RuleCompiler compilerOver(FieldTypeLookup batchMappings) {
        return compiler.over(batchMappings);
    }

    WindowPlanner planner() {
        return planner;
    }

    WindowDetector detection() {
        return loop.detection();
    }

    @Override
    public ExecutionSummary execute(Rule rule, Instant now) {
        Finished finished = executeUntold(rule, now);
        tell(finished.summary(), rule, finished.createdIds());
        return finished.summary();
    }

    /** An execution and the ids of the alerts it created, before the listeners are told of it. */
    record Finished(ExecutionSummary summary, List<String> createdIds) {}

    /**
     * Executes the rule without telling the listeners, for a batch whose executions are recorded only at its end:
     * they are told then, of the outcome as recorded ({@link #tell}).
     */
    Finished executeUntold(Rule rule, Instant now) {
        String executionId = UUID.randomUUID().toString();
        Instant started = wallClock.instant();
        List<String> warnings = new ArrayList<>();
        RunLoop.Outcome outcome = null;
        RuleCheckpoint progress = null;
        Instant checkpointAtStart = null;
        Duration unfilledGap = Duration.ZERO;
        String error = null;
        try {
            Optional<Instant> checkpoint = state.checkpoint(rule.ruleId());
            checkpointAtStart = checkpoint.orElse(null);
            // Before planning: when a typo leaves a field mapped nowhere, the run fails, and this says why.
            List<String> unmatched = mappings.matchingNothing(rule.index());
            List<String> newlyUnmatched = standing.started(rule.ruleId(), unmatched);
            for (String pattern : unmatched) {
                // Kibana warns likewise: a typo in a pattern would otherwise look like a quiet network.
                String warning = "index pattern " + pattern + " matches no index, alias or data stream;"
                        + " the rule reads nothing from it";
                warnings.add(warning);
                if (newlyUnmatched.contains(pattern)) {
                    LOG.warn(
                            "rule {}: {} (logged once for all the rules that read it, and again only after it has"
                                    + " matched something)",
                            rule.name(),
                            warning);
                } else {
                    LOG.debug("rule {}: {}", rule.name(), warning);
                }
            }
            RulePlan plan = compiler.compile(rule);
            WindowPlan windows = planner.plan(plan, checkpoint.orElse(null), now);
            if (windows.gap().isPresent()) {
                TimeWindow gap = windows.gap().get();
                recordGap(rule, gap, warnings);
                unfilledGap = Duration.between(gap.start(), gap.end());
            }
            if (windows.windows().size() > 1) {
                LOG.info(
                        "rule {}: catching up from {} in {} windows",
                        rule.name(),
                        windows.windows().get(0).start(),
                        windows.windows().size());
            }
            progress = new RuleCheckpoint(state, plan, planner, checkpoint.orElse(null));
            outcome = loop.run(
                    plan,
                    windows.windows(),
                    sinks.forExecution(rule, executionId, now),
                    progress,
                    rule.maxSignals(),
                    executionId,
                    now,
                    RunLoop.WindowListener.NONE);
            warnings.addAll(outcome.warnings());
            if (outcome.failure() != null) {
                error = describe(outcome.failure());
                logFailure(rule, error, outcome.failure());
            }
        } catch (RuntimeException e) {
            error = describe(e);
            logFailure(rule, error, e);
        }
        Duration lag = lag(progress == null ? checkpointAtStart : progress.current(), now);
        ExecutionSummary summary = outcome == null
                ? new ExecutionSummary(
                        rule.ruleId(),
                        rule.name(),
                        executionId,
                        started,
                        Duration.between(started, wallClock.instant()),
                        List.of(),
                        0,
                        0,
                        0,
                        0,
                        0,
                        warnings,
                        error,
                        0,
                        lag,
                        unfilledGap)
                : new ExecutionSummary(
                        rule.ruleId(),
                        rule.name(),
                        executionId,
                        started,
                        Duration.between(started, wallClock.instant()),
                        outcome.windowsRead(),
                        outcome.eventsRead(),
                        outcome.matches(),
                        outcome.alertsWritten(),
                        outcome.duplicatesSkipped(),
                        outcome.droppedByCap(),
                        warnings,
                        error,
                        outcome.peakOpenSequences(),
                        lag,
                        unfilledGap);
        try {
            state.recordExecution(summary);
        } catch (RuntimeException e) {
            LOG.warn("rule {}: the execution could not be recorded in the history: {}", rule.name(), e.getMessage());
        }
        return new Finished(summary, outcome == null ? List.of() : outcome.createdIds());
    }

    /** Tells the listeners of a recorded execution; a listener that fails is logged, and the others still told. */
    void tell(ExecutionSummary summary, Rule rule, List<String> createdIds) {
        for (ExecutionListener listener : listeners) {
            try {
                listener.executionFinished(rule, summary, createdIds);
            } catch (RuntimeException e) {
                LOG.warn("rule {}: an execution listener failed: {}", rule.name(), e.getMessage(), e);
            }
        }
    }

    @Override
    public void refuse(String ruleId, String ruleName, Instant now, String reason) {
        state.recordExecution(new ExecutionSummary(
                ruleId,
                ruleName,
                UUID.randomUUID().toString(),
                wallClock.instant(),
                Duration.ZERO,
                List.of(),
                0,
                0,
                0,
                0,
                0,
                List.of(),
                reason));
    }

    @Override
    public void retainOnly(Set<String> ruleIds) {
        compiler.retainOnly(ruleIds);
    }

    private void recordGap(Rule rule, TimeWindow gap, List<String> warnings) {
        String command = "eqlwatch backfill --rule " + rule.ruleId() + " --from " + gap.start() + " --to " + gap.end();
        String warning = "events from " + gap.start() + " to " + gap.end()
                + " lie beyond the catch-up limit and were not read; fill the gap with: " + command;
        warnings.add(warning);
        LOG.warn("rule {}: {}", rule.name(), warning);
        state.recordGap(rule.ruleId(), gap, command);
    }

    /** How far the checkpoint trails "now"; zero without a checkpoint (nothing to trail) or at or past it. */
    private static Duration lag(Instant checkpoint, Instant now) {
        return checkpoint == null || !checkpoint.isBefore(now) ? Duration.ZERO : Duration.between(checkpoint, now);
    }

    /**
     * One line for a failure eqlwatch explains itself (its own exceptions say where and why: a query the mapping
     * refuses, a cluster that refused a call), with the stack trace at DEBUG; anything else is a defect, and the
     * trace is what finds it.
     */
    private static void logFailure(Rule rule, String error, Throwable failure) {
        if (failure.getClass().getPackageName().startsWith("io.eqlwatch")) {
            LOG.error("rule {} ({}) failed: {}", rule.name(), rule.ruleId(), error);
            LOG.debug("rule {} ({}) failed", rule.name(), rule.ruleId(), failure);
        } else {
            LOG.error("rule {} ({}) failed: {}", rule.name(), rule.ruleId(), error, failure);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
