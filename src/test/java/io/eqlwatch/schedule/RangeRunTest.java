package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.alert.AlertDocument;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.testing.InMemoryAlertSink;
import io.eqlwatch.testing.InMemoryEventSource;
import io.eqlwatch.testing.InMemoryRunStateStore;
import io.eqlwatch.testing.SmbTestData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backfill and preview on in-memory ports: the same windows, every match, resumption after a failure. */
class RangeRunTest {

    private static final Instant FROM = Instant.parse("2026-11-20T00:00:00Z");
    private static final TimeWindow RANGE = new TimeWindow(FROM, FROM.plus(Duration.ofHours(3)));

    private final InMemoryEventSource events = new InMemoryEventSource(SmbTestData.TYPES);
    private final InMemoryAlertSink alerts = new InMemoryAlertSink();
    private final InMemoryRunStateStore state = new InMemoryRunStateStore();
    private final List<RangeRun.WindowProgress> progress = new ArrayList<>();

    private RangeRun rangeRun() {
        return new RangeRun(
                new RunLoop(new WindowDetection(events, 100), "default"),
                Clock.fixed(FROM.plus(Duration.ofDays(7)), ZoneOffset.UTC),
                Duration.ofHours(1));
    }

    private static RulePlan plan(Rule rule) {
        return Planner.plan(rule, SmbTestData.TYPES);
    }

    /** One transfer every twenty minutes over the range, one of them right across the first window border. */
    private void transfers() {
        for (int i = 0; i < 9; i++) {
            events.addAll(SmbTestData.transfer("host-" + i, FROM.plus(Duration.ofMinutes(20L * i + 1))));
        }
        events.addAll(SmbTestData.transfer(
                "host-border", FROM.plus(Duration.ofHours(1)).minusSeconds(6)));
    }

    @Test
    void aBackfillWritesEveryMatchEvenBeyondMaxSignals() throws AlertWriteException {
        transfers();
        Rule rule = SmbTestData.rule(3);

        RangeRun.Outcome outcome = rangeRun().backfill(plan(rule), RANGE, alerts, state, progress::add);

        // Hour windows, each starting the maxspan (30 s) before the previous one ends.
        assertEquals(4, outcome.windows());
        assertEquals(10, outcome.alertsWritten());
        assertEquals(10, alerts.primaries().size());
        assertEquals(4, progress.size());
    }

    @Test
    void aPreviewWritesNothingAndShowsTheAlertsTheBackfillThenWrites() throws AlertWriteException {
        transfers();
        Rule rule = SmbTestData.rule(100);

        RangeRun.Outcome preview = rangeRun().preview(plan(rule), RANGE, progress::add);
        assertEquals(List.of(), alerts.documents());
        assertEquals(List.of(), state.checkpointWrites(), "a preview records no progress");

        rangeRun().backfill(plan(rule), RANGE, alerts, state, p -> {});
        assertEquals(
                preview.alerts().stream().map(AlertGroup::id).toList(),
                alerts.primaries().stream().map(AlertDocument::id).toList());
        assertEquals(10, preview.matches());
        assertTrue(progress.stream().allMatch(p -> p.alertsWritten() == 0), "nothing is written by a preview");
    }

    @Test
    void aBackfillStoppedByAFailureResumesAfterItsLastCompletedWindow() {
        transfers();
        Rule rule = SmbTestData.rule(100);
        alerts.failFromWrite(2);

        assertThrows(AlertWriteException.class, () -> rangeRun().backfill(plan(rule), RANGE, alerts, state, p -> {}));
        int writtenBeforeFailure = alerts.primaries().size();
        assertTrue(writtenBeforeFailure > 0 && writtenBeforeFailure < 10, "the first window was written");

        alerts.heal();
        RangeRun.Outcome resumed;
        try {
            resumed = rangeRun().backfill(plan(rule), RANGE, alerts, state, progress::add);
        } catch (AlertWriteException e) {
            throw new AssertionError(e);
        }
        assertEquals(1, resumed.windowsSkippedAsDone());
        assertTrue(progress.get(0).resumedPast());
        assertEquals(10, alerts.primaries().size(), "every transfer, none twice");
    }

    @Test
    void aCompletedBackfillClearsTheGapsItCovered() throws AlertWriteException {
        transfers();
        state.recordGap(
                "smb-rule", new TimeWindow(FROM.plusSeconds(60), FROM.plus(Duration.ofHours(2))), "eqlwatch backfill");
        state.recordGap(
                "smb-rule", new TimeWindow(FROM.plus(Duration.ofHours(2)), FROM.plus(Duration.ofHours(5))), "x");

        rangeRun().backfill(plan(SmbTestData.rule(100)), RANGE, alerts, state, p -> {});

        assertEquals(1, state.gaps("smb-rule").size(), "only the gap reaching past the range stays");
    }
}
