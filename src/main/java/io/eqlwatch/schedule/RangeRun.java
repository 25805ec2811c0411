package io.eqlwatch.schedule;

import io.eqlwatch.alert.AlertBuilder;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.SuppressionPlan;
import io.eqlwatch.engine.Match;
import io.eqlwatch.alert.SuppressingAlertSink;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.alert.AlertWriter;
import io.eqlwatch.alert.WriteSummary;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.FieldMappings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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

    /**
     * The outcome of a range run; {@code alerts} holds the groups in first-seen order (preview only).
     *
     * @param excepted       (preview only) the alerts the rule's exceptions removed, each with the
     *                       name of the item that removed it
     * @param suppressedInto (preview only) for each match folded by {@code alert_suppression}, by
     *                       its alert id, the id of the alert it was folded into
     */
    public record Outcome(int windows, int windowsSkippedAsDone, long eventsRead, long matches, long alertsWritten,
            long duplicatesSkipped, List<AlertGroup> alerts, List<Excepted> excepted, Map<String, String> suppressedInto) {
        public Outcome {
            alerts = List.copyOf(alerts);
            excepted = List.copyOf(excepted);
            suppressedInto = Map.copyOf(suppressedInto);
        }

        public Outcome(int windows, int windowsSkippedAsDone, long eventsRead, long matches, long alertsWritten,
                long duplicatesSkipped, List<AlertGroup> alerts) {
            this(windows, windowsSkippedAsDone, eventsRead, matches, alertsWritten, duplicatesSkipped, alerts, List.of(),
                    Map.of());
        }
    }

    /** A match the rule would have alerted on without its exceptions, and the item that removed it. */
    public record Excepted(AlertGroup alert, String item) {
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
        PreparedRule untuned = prepared.exceptions().isEmpty() ? null : prepared.withoutExceptions();
        AlertBuilder builder = new AlertBuilder(rule, spaceId);
        Map<String, AlertGroup> seen = new LinkedHashMap<>();
        Map<String, Excepted> excepted = new LinkedHashMap<>();
        List<TimeWindow> windows = windows(rule, range);
        long events = 0;
        long matches = 0;
        for (int i = 0; i < windows.size(); i++) {
            WindowDetection.Result found = detection.detect(prepared, windows.get(i));
            if (untuned != null) {
                exceptedIn(detection.detect(untuned, windows.get(i)).matches(), found.matches(), prepared, builder,
                        executionId, now, excepted);
            }
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
        List<AlertGroup> alerts = new ArrayList<>(seen.values());
        Map<String, String> suppressedInto = Map.of();
        if (rule.tuning().suppression() != null) {
            SuppressionPlan plan = new SuppressionPlan(rule.tuning().suppression(), rule.uuid(), spaceId);
            List<AlertGroup> suppressible = alerts.stream().filter(g -> !plan.unsuppressed(plan.terms(g))).toList();
            SuppressionPlan.Outcome folded = plan.plan(suppressible, Map.of(), executionId, now, Integer.MAX_VALUE);
            suppressedInto = folded.foldedInto();
            Map<String, AlertGroup> withFields = new LinkedHashMap<>();
            folded.fresh().forEach(g -> withFields.put(g.id(), g));
            Set<String> gone = suppressedInto.keySet();
            alerts = alerts.stream().filter(g -> !gone.contains(g.id())).map(g -> withFields.getOrDefault(g.id(), g))
                    .toList();
        }
        return new Outcome(windows.size(), 0, events, matches, 0, 0, alerts, new ArrayList<>(excepted.values()),
                suppressedInto);
    }

    /** The matches found without the exceptions but not with them, each with the item that removed it. */
    private static void exceptedIn(List<Match> untuned, List<Match> tuned, PreparedRule prepared, AlertBuilder builder,
            String executionId, Instant now, Map<String, Excepted> out) {
        Set<String> kept = new HashSet<>();
        for (AlertGroup group : builder.buildAll(tuned, executionId, now)) {
            kept.add(group.id());
        }
        for (Match match : untuned) {
            AlertGroup group = builder.build(match, executionId, now);
            if (kept.contains(group.id()) || out.containsKey(group.id())) {
                continue;
            }
            String item = match.events().stream().map(prepared.exceptions()::itemFor).filter(Objects::nonNull)
                    .findFirst().orElse("(an excepted event changed how the sequence was assembled)");
            out.put(group.id(), new Excepted(group, item));
        }
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
        AlertSink sink = writer;
        if (rule.tuning().suppression() != null) {
            SuppressingAlertSink suppressing = new SuppressingAlertSink(writer, rule.tuning().suppression(), rule.uuid(),
                    spaceId);
            suppressing.startExecution(executionId, now);
            sink = suppressing;
        }
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
            WriteSummary summary = sink.write(groups, Math.max(1, groups.size()));
            state.saveCheckpoint(progressKey, window.end());
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
