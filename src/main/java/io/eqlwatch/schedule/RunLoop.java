package io.eqlwatch.schedule;

import io.eqlwatch.alert.AlertBuilder;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.alert.WriteSummary;
import io.eqlwatch.engine.Match;
import io.eqlwatch.plan.RulePlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one read, match and write loop every way of running a rule goes through (the daemon,
 * {@code once}, {@code demo}, {@code backfill}, {@code preview}): for each window, detect the
 * matches, build their alerts, write the new ones within the execution's alert budget, and tell the
 * checkpoint policy. What differs between those commands is only what they pass in: the windows,
 * the sink ({@code preview}'s keeps the alerts in memory), the checkpoint policy and the budget.
 *
 * <p>When the budget runs out in a window, the loop stops there and tells the policy the window
 * was cut short, so the next execution reads it again: its written alerts are then skipped as
 * duplicates and the dropped ones written.
 */
public final class RunLoop {

    private static final Logger LOG = LoggerFactory.getLogger(RunLoop.class);

    private final WindowDetector detection;
    private final String spaceId;

    /**
     * @param spaceId the Kibana space the alerts belong to: Kibana lists an alert only in the
     *                spaces named in its {@code kibana.space_ids}
     */
    public RunLoop(WindowDetector detection, String spaceId) {
        this.detection = detection;
        this.spaceId = spaceId;
    }

    /** The Kibana space the alerts belong to. */
    String spaceId() {
        return spaceId;
    }

    /** How this loop finds a window's matches. */
    WindowDetector detection() {
        return detection;
    }

    /** The same loop finding matches with {@code other} (a batch hands in what its shared reads found). */
    RunLoop withDetection(WindowDetector other) {
        return new RunLoop(other, spaceId);
    }

    /** One window's outcome, reported as it completes. */
    public record WindowReport(
            int index,
            int total,
            TimeWindow window,
            boolean skippedAsDone,
            long eventsRead,
            long matches,
            WriteSummary written) {}

    /** Receives each window's report. */
    @FunctionalInterface
    public interface WindowListener {
        WindowListener NONE = report -> {};

        void windowDone(WindowReport report);
    }

    /**
     * What a run did over all its windows.
     *
     * @param windowsRead      the windows read, in order (not those skipped as done)
     * @param createdIds       ids of the alerts created, in match order
     * @param failure          why the run stopped early; {@code null} when it went through
     * @param peakOpenSequences the most partial sequences the engine held at once in any window
     */
    public record Outcome(
            List<TimeWindow> windowsRead,
            int windowsSkippedAsDone,
            long eventsRead,
            long matches,
            long alertsWritten,
            long duplicatesSkipped,
            long droppedByCap,
            List<String> createdIds,
            List<String> warnings,
            Exception failure,
            long peakOpenSequences) {
        public Outcome {
            windowsRead = List.copyOf(windowsRead);
            createdIds = List.copyOf(createdIds);
            warnings = List.copyOf(warnings);
        }

        public Outcome(
                List<TimeWindow> windowsRead,
                int windowsSkippedAsDone,
                long eventsRead,
                long matches,
                long alertsWritten,
                long duplicatesSkipped,
                long droppedByCap,
                List<String> createdIds,
                List<String> warnings,
                Exception failure) {
            this(
                    windowsRead,
                    windowsSkippedAsDone,
                    eventsRead,
                    matches,
                    alertsWritten,
                    duplicatesSkipped,
                    droppedByCap,
                    createdIds,
                    warnings,
                    failure,
                    0);
        }
    }

    /**
     * Runs the plan over the windows. Never throws for a failed read or write: the outcome holds
     * the failure and what was done before it.
     *
     * @param budget      new matches that may be written over the whole run ({@code max_signals}
     *                    for a scheduled execution, {@link CappedWrite#UNLIMITED} for a range run)
     * @param executionId the run's id ({@code kibana.alert.rule.execution.uuid})
     * @param now         the run's clock reading: every alert's {@code @timestamp}
     */
    public Outcome run(
            RulePlan plan,
            List<TimeWindow> windows,
            AlertSink sink,
            CheckpointPolicy checkpoints,
            int budget,
            String executionId,
            Instant now,
            WindowListener listener) {
        AlertBuilder builder = new AlertBuilder(plan, spaceId);
        CappedWrite writer = new CappedWrite(sink);
        Tally tally = new Tally();
        int remaining = budget;
        try {
            for (int i = 0; i < windows.size(); i++) {
                TimeWindow window = windows.get(i);
                if (checkpoints.alreadyDone(window)) {
                    tally.skippedAsDone++;
                    listener.windowDone(
                            new WindowReport(i + 1, windows.size(), window, true, 0, 0, WriteSummary.empty()));
                    continue;
                }
                WindowDetection.Result found = detection.detect(plan, window);
                tally.eventsRead += found.eventsRead();
                tally.matches += found.matches().size();
                tally.peakOpenSequences = Math.max(tally.peakOpenSequences, found.peakOpenSequences());
                if (found.eventsSkipped() > 0) {
                    tally.warnings.add(found.eventsSkipped() + " malformed event(s) skipped in " + window + ": "
                            + found.skipped().stream()
                                    .limit(3)
                                    .map(Object::toString)
                                    .collect(Collectors.joining(", "))
                            + (found.eventsSkipped() > 3 ? " and more (see the log)" : ""));
                }
                List<AlertGroup> groups = builder.buildAll(found.matches(), executionId, now);
                CappedWrite.Result result = writer.write(
                        groups,
                        remaining,
                        budget,
                        kept -> withFullSources(kept, groups, found, builder, executionId, now));
                WriteSummary written = result.summary();
                tally.windows.add(window);
                tally.add(written, result.createdIds());
                remaining -= written.writtenSequences();
                boolean cutShort = written.droppedByCap() > 0 || remaining <= 0;
                if (cutShort) {
                    tally.warnings.addAll(written.warnings());
                    checkpoints.cutShort(window);
                    if (written.droppedByCap() > 0) {
                        LOG.warn(
                                "rule {}: {} ({} new sequence(s) dropped; the next run writes them)",
                                plan.rule().name(),
                                CappedWrite.CAP_WARNING,
                                written.droppedByCap());
                    } else if (i + 1 < windows.size()) {
                        // Nothing was dropped in this window, but the windows after it were not read: they may
                        // hold matches that get no alert this run (Kibana warns once max_signals is reached too).
                        String warning = CappedWrite.CAP_WARNING + " max_signals=" + budget + " was reached with "
                                + (windows.size() - i - 1) + " window(s) from "
                                + windows.get(i + 1).start()
                                + " not read this run; the next run reads them.";
                        tally.warnings.add(warning);
                        LOG.warn("rule '{}': {}", plan.rule().name(), warning);
                    }
                } else {
                    checkpoints.completed(window);
                }
                listener.windowDone(new WindowReport(
                        i + 1,
                        windows.size(),
                        window,
                        false,
                        found.eventsRead(),
                        found.matches().size(),
                        written));
                if (cutShort) {
                    break;
                }
            }
        } catch (AlertWriteException | RuntimeException e) {
            return tally.outcome(e);
        }
        return tally.outcome(null);
    }

    /**
     * The groups about to be written, built again from their events' whole sources: the read fetched only
     * the fields the rule reads, and the events of the matches that become alerts are fetched whole now.
     */
    private List<AlertGroup> withFullSources(
            List<AlertGroup> kept,
            List<AlertGroup> groups,
            WindowDetection.Result found,
            AlertBuilder builder,
            String executionId,
            Instant now) {
        Map<AlertGroup, Match> matchOf = new IdentityHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            matchOf.put(groups.get(i), found.matches().get(i));
        }
        List<Match> matches = kept.stream().map(matchOf::get).toList();
        List<Match> whole = detection.withFullSources(matches);
        return whole == matches ? kept : builder.buildAll(whole, executionId, now);
    }

    /** Counts accumulated over a run's windows. */
    private static final class Tally {
        final List<TimeWindow> windows = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<String> created = new ArrayList<>();
        int skippedAsDone;
        long eventsRead;
        long matches;
        long alertsWritten;
        long duplicatesSkipped;
        long droppedByCap;
        long peakOpenSequences;

        void add(WriteSummary written, List<String> createdIds) {
            alertsWritten += written.writtenSequences();
            duplicatesSkipped += written.duplicatesSkipped();
            droppedByCap += written.droppedByCap();
            created.addAll(createdIds);
        }

        Outcome outcome(Exception failure) {
            return new Outcome(
                    windows,
                    skippedAsDone,
                    eventsRead,
                    matches,
                    alertsWritten,
                    duplicatesSkipped,
                    droppedByCap,
                    created,
                    warnings,
                    failure,
                    peakOpenSequences);
        }
    }
}
