package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.testing.SmbTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowPlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Duration NINE_MINUTES = Duration.ofMinutes(9);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    private static final Duration MAXSPAN = Duration.ofSeconds(30);
    private final WindowPlanner planner = new WindowPlanner(Duration.ofHours(24));

    @Test
    void firstRunReadsTheLookBack() {
        WindowPlan plan = planner.plan(null, NOW, NINE_MINUTES, FIVE_MINUTES, MAXSPAN);
        assertEquals(List.of(new TimeWindow(NOW.minus(NINE_MINUTES), NOW)), plan.windows());
        assertTrue(plan.gap().isEmpty());
    }

    @Test
    void steadyStateReadsTheLookBackLikeKibana() {
        WindowPlan plan = planner.plan(NOW.minus(FIVE_MINUTES), NOW, NINE_MINUTES, FIVE_MINUTES, MAXSPAN);
        assertEquals(List.of(new TimeWindow(NOW.minus(NINE_MINUTES), NOW)), plan.windows());
    }

    @Test
    void afterDowntimeEverythingSinceTheCheckpointIsReadInOverlappingWindows() {
        Instant checkpoint = NOW.minus(Duration.ofHours(2));
        WindowPlan plan = planner.plan(checkpoint, NOW, NINE_MINUTES, FIVE_MINUTES, MAXSPAN);
        List<TimeWindow> windows = plan.windows();
        // Starts where a run just after the checkpoint would have started reading.
        assertEquals(checkpoint.minus(Duration.ofMinutes(4)), windows.get(0).start());
        assertEquals(NOW, windows.get(windows.size() - 1).end());
        for (int i = 1; i < windows.size(); i++) {
            assertEquals(
                    windows.get(i - 1).end().minus(MAXSPAN),
                    windows.get(i).start(),
                    "consecutive windows overlap by exactly the maxspan");
            assertFalse(windows.get(i).length().compareTo(NINE_MINUTES) > 0);
        }
        assertTrue(plan.gap().isEmpty());
    }

    @Test
    void everySequenceOfMaxspanLengthLiesWholeInSomeWindow() {
        Instant checkpoint = NOW.minus(Duration.ofHours(3));
        List<TimeWindow> windows = planner.plan(checkpoint, NOW, NINE_MINUTES, FIVE_MINUTES, MAXSPAN)
                .windows();
        for (Instant first = checkpoint; first.isBefore(NOW.minus(MAXSPAN)); first = first.plusSeconds(7)) {
            Instant begin = first;
            Instant last = first.plus(MAXSPAN);
            assertTrue(
                    windows.stream()
                            .anyMatch(w -> !w.start().isAfter(begin) && !w.end().isBefore(last)),
                    "a sequence from " + begin + " to " + last + " is inside one window");
        }
    }

    @Test
    void beyondTheCatchUpLimitIsAGapNotASilentLoss() {
        WindowPlanner shortLimit = new WindowPlanner(Duration.ofHours(1));
        Instant checkpoint = NOW.minus(Duration.ofHours(5));
        WindowPlan plan = shortLimit.plan(checkpoint, NOW, NINE_MINUTES, FIVE_MINUTES, MAXSPAN);
        TimeWindow gap = plan.gap().orElseThrow();
        assertEquals(checkpoint.minus(Duration.ofMinutes(4)), gap.start());
        assertEquals(NOW.minus(Duration.ofHours(1)).plus(MAXSPAN), gap.end());
        assertEquals(NOW.minus(Duration.ofHours(1)), plan.windows().get(0).start());
    }

    @Test
    void aMaxspanLongerThanTheLookBackStillAdvances() {
        List<TimeWindow> windows = WindowPlanner.split(
                new TimeWindow(NOW.minus(Duration.ofHours(2)), NOW), NINE_MINUTES, Duration.ofMinutes(10));
        assertEquals(NOW, windows.get(windows.size() - 1).end());
        assertEquals(Duration.ofMinutes(20), windows.get(0).length());
    }

    @Test
    void aWindowCutShortIsTheFirstWindowTheNextRunReads() {
        RulePlan plan = Planner.plan(SmbTestData.rule(100), SmbTestData.TYPES);
        TimeWindow cut = new TimeWindow(NOW.minus(NINE_MINUTES), NOW);

        Instant checkpoint = planner.rereadFrom(plan, cut);
        WindowPlan next = planner.plan(plan, checkpoint, NOW.plus(FIVE_MINUTES));

        assertEquals(cut.start(), next.windows().get(0).start());
        assertEquals(
                NOW.plus(FIVE_MINUTES),
                next.windows().get(next.windows().size() - 1).end());
    }

    @Test
    void aRangeIsReadInWindowsOfAtLeastTheLookBackOverlappingByTheMaxspan() {
        RulePlan plan = Planner.plan(SmbTestData.rule(100), SmbTestData.TYPES);
        TimeWindow range = new TimeWindow(NOW.minus(Duration.ofHours(1)), NOW);

        List<TimeWindow> small = WindowPlanner.rangeWindows(plan, range, Duration.ofMinutes(1));
        assertEquals(NINE_MINUTES, small.get(0).length(), "never less than the look-back");
        for (int i = 1; i < small.size(); i++) {
            assertEquals(small.get(i - 1).end().minus(MAXSPAN), small.get(i).start());
        }
        assertEquals(List.of(range), WindowPlanner.rangeWindows(plan, range, Duration.ofHours(2)));
    }
}
