package io.eqlwatch.schedule;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.alert.AlertDocument;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.alert.SuppressionPlan;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.tuning.ExceptionMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs a rule over a historical range, window by window, through the {@link RunLoop}:
 * {@code backfill} writes the alerts, {@code preview} only collects them (its sink writes nothing). Both read exactly the same windows, so a preview shows the
 * alerts the backfill of the same range then writes.
 *
 * <p>A backfill remembers, in the state index, the end of the last window it completed for this
 * rule and range; run again after a kill, it starts from the first window not yet completed. It
 * writes every new match: {@code max_signals} protects the daemon from an alert storm, but a
 * backfill is an explicit request to fill a range, and a capped one would lose detections.
 */
public final class RangeRun {

    /** What happened to one window, for progress output. */
    public record WindowProgress(
            int index,
            int total,
            TimeWindow window,
            long eventsRead,
            long matches,
            long alertsWritten,
            long duplicatesSkipped,
            boolean resumedPast) {}

    /** Receives progress as windows complete. */
    @FunctionalInterface
    public interface ProgressListener {
        void windowDone(WindowProgress progress);
    }

    /** The outcome of a range run; {@code alerts} holds the groups in first-seen order (preview only). */
    /**
     * @param excepted       (preview only) the alerts the rule's exceptions removed, each with the
     *                       name of the item that removed it
     * @param suppressedInto (preview only) for each match folded by {@code alert_suppression}, by
     *                       its alert id, the id of the alert it was folded into
     */
    public record Outcome(
            int windows,
            int windowsSkippedAsDone,
            long eventsRead,
            long matches,
            long alertsWritten,
            long duplicatesSkipped,
            List<AlertGroup> alerts,
            List<Excepted> excepted,
            Map<String, String> suppressedInto) {
        public Outcome {
            alerts = List.copyOf(alerts);
            excepted = List.copyOf(excepted);
            suppressedInto = Map.copyOf(suppressedInto);
        }

        public Outcome(
                int windows,
                int windowsSkippedAsDone,
                long eventsRead,
                long matches,
                long alertsWritten,
                long duplicatesSkipped,
                List<AlertGroup> alerts) {
            this(
                    windows,
                    windowsSkippedAsDone,
                    eventsRead,
                    matches,
                    alertsWritten,
                    duplicatesSkipped,
                    alerts,
                    List.of(),
                    Map.of());
        }
    }

    /** A match the rule would have alerted on without its exceptions, and the item that removed it. */
    public record Excepted(AlertGroup alert, String item) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunLoop loop;
    private final Clock clock;
    private final Duration windowSize;

    /**
     * @param windowSize how much event time one window reads; never less than the rule's look-back.
     *                   Larger windows mean fewer round trips over a long range; memory still grows
     *                   only with open sequences, so an hour is a good default
     */
    public RangeRun(RunLoop loop, Clock clock, Duration windowSize) {
        this.loop = loop;
        this.clock = clock;
        this.windowSize = windowSize;
    }

    /** The windows a range is read in, overlapping by the maxspan so that no sequence straddles a border unseen. */
    public List<TimeWindow> windows(RulePlan plan, TimeWindow range) {
        return WindowPlanner.rangeWindows(plan, range, windowSize);
    }

    /** Collects the alerts the plan's rule would raise over the range, writing nothing. */
    public Outcome preview(RulePlan plan, TimeWindow range, ProgressListener progress) {
        Rule rule = plan.rule();
        FieldTypes types = plan.types();
        PreviewSink collected = new PreviewSink();
        String executionId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        RunLoop.Outcome outcome = loop.run(
                plan,
                windows(plan, range),
                collected,
                CheckpointPolicy.NONE,
                CappedWrite.UNLIMITED,
                executionId,
                now,
                progressOf(progress, false));
        rethrowRuntime(outcome);
        List<Excepted> excepted = new ArrayList<>();
        if (!rule.tuning().exceptions().isEmpty()) {
            Rule untuned = rule.withTuning(rule.tuning().withoutExceptions());
            RulePlan untunedPlan = Planner.plan(untuned, types);
            PreviewSink all = new PreviewSink();
            rethrowRuntime(loop.run(
                    untunedPlan,
                    windows(untunedPlan, range),
                    all,
                    CheckpointPolicy.NONE,
                    CappedWrite.UNLIMITED,
                    executionId,
                    now,
                    report -> {}));
            Set<String> kept = new HashSet<>();
            collected.groups().forEach(g -> kept.add(g.id()));
            ExceptionMatcher matcher = ExceptionMatcher.of(rule.tuning().exceptions(), types, Instant.now());
            for (AlertGroup group : all.groups()) {
                if (!kept.contains(group.id())) {
                    excepted.add(new Excepted(group, exceptingItem(group, matcher)));
                }
            }
        }
        List<AlertGroup> alerts = collected.groups();
        Map<String, String> suppressedInto = Map.of();
        if (rule.tuning().suppression() != null) {
            SuppressionPlan suppression = new SuppressionPlan(rule.tuning().suppression(), rule.uuid(), loop.spaceId());
            List<AlertGroup> suppressible = alerts.stream()
                    .filter(g -> !suppression.unsuppressed(suppression.terms(g)))
                    .toList();
            SuppressionPlan.Outcome folded =
                    suppression.plan(suppressible, Map.of(), executionId, now, Integer.MAX_VALUE);
            Map<String, String> into = folded.foldedInto();
            Map<String, AlertGroup> withFields = new LinkedHashMap<>();
            folded.fresh().forEach(g -> withFields.put(g.id(), g));
            alerts = alerts.stream()
                    .filter(g -> !into.containsKey(g.id()))
                    .map(g -> withFields.getOrDefault(g.id(), g))
                    .toList();
            suppressedInto = into;
        }
        return new Outcome(
                outcome.windowsRead().size(),
                0,
                outcome.eventsRead(),
                outcome.alertsWritten(),
                0,
                0,
                alerts,
                excepted,
                suppressedInto);
    }

    /** The name of the item that excepts one of the match's events, read back from its alerts. */
    private static String exceptingItem(AlertGroup group, ExceptionMatcher matcher) {
        for (AlertDocument document : group.documents()) {
            Map<String, Object> source = JSON.convertValue(document.source(), new TypeReference<>() {});
            String item = matcher.itemFor(new Event(null, null, Instant.EPOCH, null, source));
            if (item != null) {
                return item;
            }
        }
        return "(an excepted event changed how the sequence was assembled)";
    }

    /**
     * Writes the rule's alerts over the range, resuming after the last window a previous run of the
     * same backfill completed.
     */
    public Outcome backfill(
            RulePlan plan, TimeWindow range, AlertSink sink, RunStateStore state, ProgressListener progress)
            throws AlertWriteException {
        Rule rule = plan.rule();
        String executionId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        AlertSink target = new AlertSinks(sink, loop.spaceId()).forExecution(rule, executionId, now);
        RunLoop.Outcome outcome = loop.run(
                plan,
                windows(plan, range),
                target,
                new BackfillProgress(state, rule, range),
                CappedWrite.UNLIMITED,
                executionId,
                now,
                progressOf(progress, true));
        if (outcome.failure() instanceof AlertWriteException e) {
            throw e;
        }
        rethrowRuntime(outcome);
        state.clearGapsWithin(rule.ruleId(), range);
        return new Outcome(
                outcome.windowsRead().size() + outcome.windowsSkippedAsDone(),
                outcome.windowsSkippedAsDone(),
                outcome.eventsRead(),
                outcome.matches(),
                outcome.alertsWritten(),
                outcome.duplicatesSkipped(),
                List.of());
    }

    /**
     * Window reports as progress lines. A preview's sink keeps every new alert without writing it, so what
     * it "wrote" is what it found, and it wrote nothing.
     */
    private static RunLoop.WindowListener progressOf(ProgressListener progress, boolean writes) {
        return report -> progress.windowDone(new WindowProgress(
                report.index(),
                report.total(),
                report.window(),
                report.eventsRead(),
                writes ? report.matches() : report.written().writtenSequences(),
                writes ? report.written().writtenSequences() : 0,
                report.written().duplicatesSkipped(),
                report.skippedAsDone()));
    }

    private static void rethrowRuntime(RunLoop.Outcome outcome) {
        if (outcome.failure() instanceof RuntimeException e) {
            throw e;
        }
        if (outcome.failure() != null) {
            throw new IllegalStateException(outcome.failure().getMessage(), outcome.failure());
        }
    }
}
