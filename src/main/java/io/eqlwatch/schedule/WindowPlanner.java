package io.eqlwatch.schedule;

import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides which event-time windows a rule execution reads, so that no sequence is missed after
 * downtime and none is read in a way that could lose one straddling two windows.
 *
 * <p>In steady state a run reads {@code [now - lookBack, now]}, as Kibana does. When the last
 * successful window ended earlier than that (the daemon was down, or runs failed), the run reads
 * everything since then instead, split into windows of the rule's size that overlap by the
 * sequence's maxspan: a sequence that straddles two windows lies whole inside the overlap's
 * neighbour. Alert ids are deterministic, so what the overlaps read twice is written once.
 */
public final class WindowPlanner {

    private final Duration catchUpLimit;

    public WindowPlanner(Duration catchUpLimit) {
        this.catchUpLimit = catchUpLimit;
    }

    /** The windows a rule's execution at {@code now} reads, after a checkpoint ({@code null} on its first run). */
    public WindowPlan plan(RulePlan plan, Instant checkpoint, Instant now) {
        Rule rule = plan.rule();
        return plan(checkpoint, now, rule.lookBack(), rule.interval(), plan.overlap());
    }

    /**
     * The checkpoint that makes the next execution start reading at this window's start (the
     * planner resumes {@link #resumeMargin} before the checkpoint): where a run the cap stopped
     * short leaves it, so the window's unwritten matches are found again.
     */
    public Instant rereadFrom(RulePlan plan, TimeWindow window) {
        Rule rule = plan.rule();
        return window.start().plus(resumeMargin(rule.lookBack(), rule.interval(), plan.overlap()));
    }

    /**
     * The windows a range run (backfill, preview) reads: windows of the given size, never less than
     * the rule's look-back, overlapping by the maxspan.
     */
    public static List<TimeWindow> rangeWindows(RulePlan plan, TimeWindow range, Duration windowSize) {
        Duration lookBack = plan.rule().lookBack();
        return split(range, windowSize.compareTo(lookBack) > 0 ? windowSize : lookBack, plan.overlap());
    }

    /**
     * @param checkpoint end of the last fully successful window, or {@code null} on a rule's first run
     * @param now        the execution's clock
     * @param lookBack   the rule's look-back ({@code from: now-9m} → 9 minutes)
     * @param interval   the rule's interval
     * @param maxspan    the sequence's maxspan; {@code Duration.ZERO} for an event query
     */
    public WindowPlan plan(Instant checkpoint, Instant now, Duration lookBack, Duration interval, Duration maxspan) {
        Instant usualStart = now.minus(lookBack);
        if (checkpoint == null) {
            return new WindowPlan(List.of(new TimeWindow(usualStart, now)), Optional.empty());
        }
        Instant resumeFrom = checkpoint.minus(resumeMargin(lookBack, interval, maxspan));
        if (!resumeFrom.isBefore(usualStart)) {
            return new WindowPlan(List.of(new TimeWindow(usualStart, now)), Optional.empty());
        }
        Optional<TimeWindow> gap = Optional.empty();
        Instant start = resumeFrom;
        Instant limitStart = now.minus(catchUpLimit);
        if (start.isBefore(limitStart)) {
            // The unread range reaches maxspan past the limit, so a backfill of exactly this range
            // also finds the sequences that straddle the limit.
            gap = Optional.of(new TimeWindow(start, limitStart.plus(maxspan)));
            start = limitStart;
        }
        return new WindowPlan(split(new TimeWindow(start, now), lookBack, maxspan), gap);
    }

    /**
     * How far before the checkpoint a resumed run starts reading: as far back as a run right after
     * the checkpoint would have read ({@code lookBack - interval}), and at least the maxspan, so that
     * a sequence which began just before the checkpoint is still seen whole.
     */
    public Duration resumeMargin(Duration lookBack, Duration interval, Duration maxspan) {
        Duration reach = lookBack.minus(interval).isNegative() ? Duration.ZERO : lookBack.minus(interval);
        return reach.compareTo(maxspan) >= 0 ? reach : maxspan;
    }

    /**
     * Splits a range into windows of the rule's size, each starting maxspan before the previous
     * one ends. A window is at least twice the maxspan long so that the walk always advances.
     */
    public static List<TimeWindow> split(TimeWindow range, Duration windowSize, Duration maxspan) {
        Duration size = windowSize.compareTo(maxspan.multipliedBy(2)) >= 0 ? windowSize : maxspan.multipliedBy(2);
        if (size.isZero()) {
            return List.of(range);
        }
        List<TimeWindow> windows = new ArrayList<>();
        Instant start = range.start();
        while (true) {
            Instant end = start.plus(size);
            if (!end.isBefore(range.end())) {
                windows.add(new TimeWindow(start, range.end()));
                return windows;
            }
            windows.add(new TimeWindow(start, end));
            start = end.minus(maxspan);
        }
    }
}
