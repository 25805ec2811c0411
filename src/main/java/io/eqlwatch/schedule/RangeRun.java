package io.eqlwatch.schedule;

import io.eqlwatch.alert.AlertBuilder;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.alert.AlertWriter;
import io.eqlwatch.alert.WriteSummary;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.FieldMappings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs a rule over a historical range, window by window: {@code backfill} writes the alerts,
 * {@code preview} only collects them. Both read exactly the same windows, so a preview shows the
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

    private final FieldMappings mappings;
    private final WindowDetection detection;
    private final Clock clock;
    private final Duration windowSize;
    private final String spaceId;

    /**
     * @param windowSize how much event time one window reads; never less than the rule's look-back.
     *                   Larger windows mean fewer round trips over a long range; memory still grows
     *                   only with open sequences, so an hour is a good default
     * @param spaceId    the Kibana space the alerts belong to
     */
    public RangeRun(FieldMappings mappings, WindowDetection detection, Clock clock, Duration windowSize, String spaceId) {
        this.mappings = mappings;
        this.detection = detection;
        this.clock = clock;
        this.windowSize = windowSize;
        this.spaceId = spaceId;
    }

    /** The windows a range is read in, overlapping by the maxspan so that no sequence straddles a border unseen. */
    public List<TimeWindow> windows(Rule rule, TimeWindow range) {
        Duration size = windowSize.compareTo(rule.lookBack()) > 0 ? windowSize : rule.lookBack();
        return WindowPlanner.split(range, size, RuleExecutor.maxspan(rule));
    }

    /** Collects the alerts the rule would raise over the range, writing nothing. */
    public Outcome preview(Rule rule, TimeWindow range, ProgressListener progress) {
        String executionId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        PreparedRule prepared = PreparedRule.of(rule, mappings.read(rule.index()));
        AlertBuilder builder = new AlertBuilder(rule, spaceId);
        Map<String, AlertGroup> seen = new LinkedHashMap<>();
        List<TimeWindow> windows = windows(rule, range);
        long events = 0;
        long matches = 0;
        for (int i = 0; i < windows.size(); i++) {
            WindowDetection.Result found = detection.detect(prepared, windows.get(i));
            events += found.eventsRead();
            long fresh = 0;
            for (AlertGroup group : builder.buildAll(found.matches(), executionId, now)) {
                if (seen.putIfAbsent(group.id(), group) == null) {
                    fresh++;
                }
            }
            matches += fresh;
            progress.windowDone(new WindowProgress(i + 1, windows.size(), windows.get(i), found.eventsRead(), fresh, 0,
                    found.matches().size() - fresh, false));
        }
        return new Outcome(windows.size(), 0, events, matches, 0, 0, new ArrayList<>(seen.values()));
    }

    /**
     * Writes the rule's alerts over the range, resuming after the last window a previous run of the
     * same backfill completed.
     */
    public Outcome backfill(Rule rule, TimeWindow range, AlertWriter writer, RunStateStore state,
            ProgressListener progress) throws AlertWriteException {
        String executionId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        String progressKey = "backfill:" + rule.ruleId() + ":" + range.start() + ":" + range.end();
        Optional<Instant> doneUntil = state.checkpoint(progressKey);
        PreparedRule prepared = PreparedRule.of(rule, mappings.read(rule.index()));
        AlertBuilder builder = new AlertBuilder(rule, spaceId);
        List<TimeWindow> windows = windows(rule, range);
        long events = 0;
        long matches = 0;
        long written = 0;
        long duplicates = 0;
        int skipped = 0;
        for (int i = 0; i < windows.size(); i++) {
            TimeWindow window = windows.get(i);
            if (doneUntil.isPresent() && !window.end().isAfter(doneUntil.get())) {
                skipped++;
                progress.windowDone(new WindowProgress(i + 1, windows.size(), window, 0, 0, 0, 0, true));
                continue;
            }
            WindowDetection.Result found = detection.detect(prepared, window);
            List<AlertGroup> groups = builder.buildAll(found.matches(), executionId, now);
            WriteSummary summary = writer.write(groups, Math.max(1, groups.size()));
            // A second backfill of the same range that got further is trusted: its windows are not read again.
            doneUntil = Optional.of(state.advanceCheckpoint(progressKey, window.end()));
            events += found.eventsRead();
            matches += found.matches().size();
            written += summary.writtenSequences();
            duplicates += summary.duplicatesSkipped();
            progress.windowDone(new WindowProgress(i + 1, windows.size(), window, found.eventsRead(),
                    found.matches().size(), summary.writtenSequences(), summary.duplicatesSkipped(), false));
        }
        state.clearGapsWithin(rule.ruleId(), range);
        return new Outcome(windows.size(), skipped, events, matches, written, duplicates, List.of());
    }
}
