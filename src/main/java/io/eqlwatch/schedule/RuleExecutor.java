package io.eqlwatch.schedule;

import io.eqlwatch.alert.AlertBuilder;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.alert.AlertWriter;
import io.eqlwatch.alert.WriteSummary;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.FieldMappings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution of one rule, end to end: plan the windows since the checkpoint, detect each
 * window's matches, write their alerts exactly once, move the checkpoint, and record the execution.
 *
 * <p>The checkpoint moves only past a window whose alerts are all written. When {@code max_signals}
 * stops a window short, the checkpoint is left so that the next execution reads that window again:
 * its written alerts are then skipped as duplicates and the dropped ones written.
 */
public final class RuleExecutor implements RuleRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RuleExecutor.class);

    private final FieldMappings mappings;
    private final WindowDetection detection;
    private final AlertWriter writer;
    private final RunStateStore state;
    private final WindowPlanner planner;
    private final Clock wallClock;
    private final String spaceId;
    private final ExecutionListener listener;

    /**
     * @param spaceId the Kibana space the alerts belong to: Kibana lists an alert only in the
     *                spaces named in its {@code kibana.space_ids}
     */
    public RuleExecutor(FieldMappings mappings, WindowDetection detection, AlertWriter writer, RunStateStore state,
            WindowPlanner planner, Clock wallClock, String spaceId) {
        this(mappings, detection, writer, state, planner, wallClock, spaceId, ExecutionListener.NONE);
    }

    /** @param listener told of every execution once it is recorded (metrics, health) */
    public RuleExecutor(FieldMappings mappings, WindowDetection detection, AlertWriter writer, RunStateStore state,
            WindowPlanner planner, Clock wallClock, String spaceId, ExecutionListener listener) {
        this.listener = listener;
        this.spaceId = spaceId;
        this.mappings = mappings;
        this.detection = detection;
        this.writer = writer;
        this.state = state;
        this.planner = planner;
        this.wallClock = wallClock;
    }

    @Override
    public ExecutionSummary execute(Rule rule, Instant now) {
        String executionId = UUID.randomUUID().toString();
        Instant started = wallClock.instant();
        Tally tally = new Tally();
        String error = null;
        try {
            Optional<Instant> checkpoint = state.checkpoint(rule.ruleId());
            tally.checkpoint = checkpoint.orElse(null);
            Duration maxspan = maxspan(rule);
            WindowPlan plan = planner.plan(checkpoint.orElse(null), now, rule.lookBack(), rule.interval(), maxspan);
            plan.gap().ifPresent(gap -> recordGap(rule, gap, tally));
            if (plan.windows().size() > 1) {
                LOG.info("rule {}: catching up from {} in {} windows", rule.name(), plan.windows().get(0).start(),
                        plan.windows().size());
            }
            FieldTypes types = mappings.read(rule.index());
            PreparedRule prepared = PreparedRule.of(rule, types);
            AlertBuilder builder = new AlertBuilder(rule, spaceId);
            int remaining = rule.maxSignals();
            for (TimeWindow window : plan.windows()) {
                WindowDetection.Result found = detection.detect(prepared, window);
                tally.eventsRead += found.eventsRead();
                tally.sequencesFound += found.matches().size();
                tally.peakOpenSequences = Math.max(tally.peakOpenSequences, found.peakOpenSequences());
                if (found.eventsSkipped() > 0) {
                    tally.warnings.add(found.eventsSkipped() + " malformed event(s) skipped in " + window
                            + " (see the log for their index and id)");
                }
                List<AlertGroup> groups = builder.buildAll(found.matches(), executionId, now);
                WriteSummary written = writer.write(groups, remaining);
                tally.windows.add(window);
                tally.alertsWritten += written.writtenSequences();
                tally.duplicatesSkipped += written.duplicatesSkipped();
                tally.droppedByCap += written.droppedByCap();
                remaining -= written.writtenSequences();
                if (written.droppedByCap() > 0 || remaining <= 0) {
                    tally.warnings.addAll(written.warnings());
                    keepForNextRun(rule, window, maxspan, checkpoint.orElse(null), tally);
                    if (written.droppedByCap() > 0) {
                        LOG.warn("rule {}: {} ({} new sequence(s) dropped; the next run writes them)", rule.name(),
                                AlertWriter.CAP_WARNING, written.droppedByCap());
                    }
                    break;
                }
                // A run acting at an earlier instant (once --now in the past) never moves the checkpoint back.
                if (checkpoint.isEmpty() || window.end().isAfter(checkpoint.get())) {
                    state.saveCheckpoint(rule.ruleId(), window.end());
                    tally.checkpoint = window.end();
                }
            }
        } catch (AlertWriteException | RuntimeException e) {
            error = describe(e);
            LOG.error("rule {} ({}) failed: {}", rule.name(), rule.ruleId(), error, e);
        }
        ExecutionSummary summary = new ExecutionSummary(rule.ruleId(), rule.name(), executionId, started,
                Duration.between(started, wallClock.instant()), tally.windows, tally.eventsRead, tally.sequencesFound,
                tally.alertsWritten, tally.duplicatesSkipped, tally.droppedByCap, tally.warnings, error,
                tally.peakOpenSequences, lag(tally.checkpoint, now), tally.unfilledGap);
        try {
            state.recordExecution(summary);
        } catch (RuntimeException e) {
            LOG.warn("rule {}: the execution could not be recorded in the history: {}", rule.name(), e.getMessage());
        }
        try {
            listener.executionFinished(summary);
        } catch (RuntimeException e) {
            LOG.warn("rule {}: an execution listener failed: {}", rule.name(), e.toString());
        }
        return summary;
    }

    /**
     * Sets the checkpoint so that the next execution starts reading at this window's start (the
     * planner resumes {@code max(lookBack - interval, maxspan)} before the checkpoint), never moving
     * it backwards.
     */
    private void keepForNextRun(Rule rule, TimeWindow window, Duration maxspan, Instant checkpoint, Tally tally) {
        Instant rereadFrom = window.start().plus(planner.resumeMargin(rule.lookBack(), rule.interval(), maxspan));
        if (checkpoint == null || rereadFrom.isAfter(checkpoint)) {
            state.saveCheckpoint(rule.ruleId(), rereadFrom);
            tally.checkpoint = rereadFrom;
        }
    }

    /** Zero when there is no checkpoint yet (nothing to trail) or it is at or past "now". */
    private static Duration lag(Instant checkpoint, Instant now) {
        return checkpoint == null || !checkpoint.isBefore(now) ? Duration.ZERO : Duration.between(checkpoint, now);
    }

    private void recordGap(Rule rule, TimeWindow gap, Tally tally) {
        String command = "eqlwatch backfill --rule " + rule.ruleId() + " --from " + gap.start() + " --to " + gap.end();
        String warning = "events from " + gap.start() + " to " + gap.end()
                + " lie beyond the catch-up limit and were not read; fill the gap with: " + command;
        tally.warnings.add(warning);
        tally.unfilledGap = Duration.between(gap.start(), gap.end());
        LOG.warn("rule {}: {}", rule.name(), warning);
        state.recordGap(rule.ruleId(), gap, command);
    }

    static Duration maxspan(Rule rule) {
        if (rule.query().body() instanceof SequenceQuery sequence && sequence.maxspan() != null) {
            return sequence.maxspan();
        }
        return Duration.ZERO;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Counts accumulated over an execution's windows. */
    private static final class Tally {
        final List<TimeWindow> windows = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        long eventsRead;
        long sequencesFound;
        long alertsWritten;
        long duplicatesSkipped;
        long droppedByCap;
        long peakOpenSequences;
        Instant checkpoint;
        Duration unfilledGap = Duration.ZERO;
    }
}
