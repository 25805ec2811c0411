package io.eqlwatch.schedule;

import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.eql.analysis.QueryFields;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.FieldTypeLookup;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
    public record WindowProgress(int index, int total, TimeWindow window, long eventsRead, long matches,
            long alertsWritten, long duplicatesSkipped, boolean resumedPast) {
    }

    /** Receives progress as windows complete. */
    @FunctionalInterface
    public interface ProgressListener {
        void windowDone(WindowProgress progress);
    }

    /** The outcome of a range run; {@code alerts} holds the groups in first-seen order (preview only). */
    public record Outcome(int windows, int windowsSkippedAsDone, long eventsRead, long matches, long alertsWritten,
            long duplicatesSkipped, List<AlertGroup> alerts) {
        public Outcome {
            alerts = List.copyOf(alerts);
        }
    }

    private final FieldTypeLookup mappings;
    private final RunLoop loop;
    private final Clock clock;
    private final Duration windowSize;

    /**
     * @param windowSize how much event time one window reads; never less than the rule's look-back.
     *                   Larger windows mean fewer round trips over a long range; memory still grows
     *                   only with open sequences, so an hour is a good default
     */
    public RangeRun(FieldTypeLookup mappings, RunLoop loop, Clock clock, Duration windowSize) {
        this.mappings = mappings;
        this.loop = loop;
        this.clock = clock;
        this.windowSize = windowSize;
    }

    /** The windows a range is read in, overlapping by the maxspan so that no sequence straddles a border unseen. */
    public List<TimeWindow> windows(RulePlan plan, TimeWindow range) {
        return WindowPlanner.rangeWindows(plan, range, windowSize);
    }

    /** Collects the alerts the rule would raise over the range, writing nothing. */
    public Outcome preview(Rule rule, TimeWindow range, ProgressListener progress) {
        RulePlan plan = Planner.plan(rule, mappings.forFields(rule.index(), QueryFields.readBy(rule.query(), rule.eventCategoryField())));
        PreviewSink collected = new PreviewSink();
        RunLoop.Outcome outcome = loop.run(plan, windows(plan, range), collected, CheckpointPolicy.NONE,
                CappedWrite.UNLIMITED, UUID.randomUUID().toString(), clock.instant(),
                report -> progress.windowDone(new WindowProgress(report.index(), report.total(), report.window(),
                        report.eventsRead(), report.written().writtenSequences(), 0,
                        report.written().duplicatesSkipped(), false)));
        rethrowRuntime(outcome);
        return new Outcome(outcome.windowsRead().size(), 0, outcome.eventsRead(), outcome.alertsWritten(), 0, 0,
                collected.groups());
    }

    /**
     * Writes the rule's alerts over the range, resuming after the last window a previous run of the
     * same backfill completed.
     */
    public Outcome backfill(Rule rule, TimeWindow range, AlertSink sink, RunStateStore state,
            ProgressListener progress) throws AlertWriteException {
        RulePlan plan = Planner.plan(rule, mappings.forFields(rule.index(), QueryFields.readBy(rule.query(), rule.eventCategoryField())));
        RunLoop.Outcome outcome = loop.run(plan, windows(plan, range), sink, new BackfillProgress(state, rule, range),
                CappedWrite.UNLIMITED, UUID.randomUUID().toString(), clock.instant(),
                report -> progress.windowDone(new WindowProgress(report.index(), report.total(), report.window(),
                        report.eventsRead(), report.matches(), report.written().writtenSequences(),
                        report.written().duplicatesSkipped(), report.skippedAsDone())));
        if (outcome.failure() instanceof AlertWriteException e) {
            throw e;
        }
        rethrowRuntime(outcome);
        state.clearGapsWithin(rule.ruleId(), range);
        return new Outcome(outcome.windowsRead().size() + outcome.windowsSkippedAsDone(), outcome.windowsSkippedAsDone(),
                outcome.eventsRead(), outcome.matches(), outcome.alertsWritten(), outcome.duplicatesSkipped(), List.of());
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
