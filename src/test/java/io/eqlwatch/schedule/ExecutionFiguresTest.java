package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.testing.InMemoryAlertSink;
import io.eqlwatch.testing.InMemoryEventSource;
import io.eqlwatch.testing.InMemoryRunStateStore;
import io.eqlwatch.testing.SmbTestData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operational figures an execution reports for metrics and the history: the engine's peak of
 * open sequences, how far the checkpoint trails, and the time left unread beyond the catch-up limit.
 */
class ExecutionFiguresTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private final InMemoryEventSource events = new InMemoryEventSource(SmbTestData.TYPES);
    private final InMemoryAlertSink alerts = new InMemoryAlertSink();
    private final InMemoryRunStateStore state = new InMemoryRunStateStore();

    private RuleExecutor executor(Duration catchUpLimit) {
        return new RuleExecutor(
                indices -> SmbTestData.TYPES,
                new RunLoop(new WindowDetection(events, 100), "default"),
                alerts,
                state,
                new WindowPlanner(catchUpLimit),
                Clock.fixed(NOW, ZoneOffset.UTC),
                List.of());
    }

    @Test
    void aCompleteRunLeavesNoLagAndReportsTheSequencesItHeldOpen() {
        events.addAll(SmbTestData.transfers(3, NOW.minusSeconds(300)));

        ExecutionSummary summary = executor(Duration.ofHours(24)).execute(SmbTestData.rule(100), NOW);

        assertEquals(3, summary.alertsWritten());
        assertEquals(Duration.ZERO, summary.checkpointLag());
        assertTrue(summary.peakOpenSequences() >= 1, "each transfer's first event opened a sequence");
        assertEquals(Duration.ZERO, summary.unfilledGap());
    }

    @Test
    void aFailedRunReportsHowFarTheUnmovedCheckpointTrails() {
        events.addAll(SmbTestData.transfers(2, NOW.minusSeconds(300)));
        state.saveCheckpoint("smb-rule", NOW.minus(Duration.ofMinutes(5)));
        alerts.failFromWrite(1);

        ExecutionSummary failed = executor(Duration.ofHours(24)).execute(SmbTestData.rule(100), NOW);

        assertTrue(failed.failed());
        assertEquals(Duration.ofMinutes(5), failed.checkpointLag());
    }

    @Test
    void theCapHoldsTheCheckpointBackAndTheLagSaysByHowMuch() {
        events.addAll(SmbTestData.transfers(15, NOW.minus(Duration.ofMinutes(8))));

        ExecutionSummary capped = executor(Duration.ofHours(24)).execute(SmbTestData.rule(10), NOW);

        assertEquals(5, capped.droppedByCap());
        Instant checkpoint = state.checkpoint("smb-rule").orElseThrow();
        assertEquals(Duration.between(checkpoint, NOW), capped.checkpointLag());
        assertTrue(capped.checkpointLag().compareTo(Duration.ZERO) > 0);
    }

    @Test
    void downtimeBeyondTheCatchUpLimitIsReportedAsUnfilledTime() {
        state.saveCheckpoint("smb-rule", NOW.minus(Duration.ofHours(3)));

        ExecutionSummary summary = executor(Duration.ofHours(1)).execute(SmbTestData.rule(100), NOW);

        TimeWindow gap = state.gaps("smb-rule").get(0).range();
        assertEquals(Duration.between(gap.start(), gap.end()), summary.unfilledGap());
        assertTrue(
                summary.unfilledGap().compareTo(Duration.ofMinutes(90)) > 0,
                summary.unfilledGap().toString());
        assertEquals(Duration.ZERO, summary.checkpointLag(), "the rest was read to now");
    }
}
