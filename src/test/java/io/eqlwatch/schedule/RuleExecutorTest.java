package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Scheduled executions on in-memory ports: windows, catch-up, the checkpoint, the cap, failures. */
class RuleExecutorTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private final InMemoryEventSource events = new InMemoryEventSource(SmbTestData.TYPES);
    private final InMemoryAlertSink alerts = new InMemoryAlertSink();
    private final InMemoryRunStateStore state = new InMemoryRunStateStore();
    private final List<List<String>> createdPerExecution = new ArrayList<>();

    private RuleExecutor executor(Duration catchUpLimit) {
        return new RuleExecutor(
                indices -> SmbTestData.TYPES,
                new RunLoop(new WindowDetection(events, 100), "default"),
                alerts,
                state,
                new WindowPlanner(catchUpLimit),
                Clock.fixed(NOW, ZoneOffset.UTC),
                List.of((rule, summary, created) -> createdPerExecution.add(created)));
    }

    private RuleExecutor executor() {
        return executor(Duration.ofHours(24));
    }

    @Test
    void aFirstRunReadsTheLookBackAndWritesEachTransferOnce() {
        events.addAll(SmbTestData.transfers(3, NOW.minusSeconds(300)));
        events.addAll(SmbTestData.transfer("host-old", NOW.minus(Duration.ofMinutes(20))));
        Rule rule = SmbTestData.rule(100);

        ExecutionSummary first = executor().execute(rule, NOW);

        assertNull(first.error());
        assertEquals(List.of(new TimeWindow(NOW.minus(Duration.ofMinutes(9)), NOW)), first.windows());
        assertEquals(3, first.alertsWritten(), "the transfer 20 minutes ago lies before the look-back");
        assertEquals(3, alerts.primaries().size());
        assertEquals(9, alerts.documents().size(), "two building blocks and a shell per transfer");
        assertEquals(Optional.of(NOW), state.checkpoint(rule.ruleId()));
        assertEquals(List.of(first), state.executions(rule.ruleId(), 10));
        assertEquals(3, createdPerExecution.get(0).size());
    }

    @Test
    void theNextRunFindsTheOverlapAgainAndWritesNothingTwice() {
        // Two minutes before the first run: inside the next run's window too (now + 5m - 9m).
        events.addAll(SmbTestData.transfers(3, NOW.minusSeconds(120)));
        Rule rule = SmbTestData.rule(100);
        executor().execute(rule, NOW);

        ExecutionSummary second = executor().execute(rule, NOW.plus(Duration.ofMinutes(5)));

        assertEquals(0, second.alertsWritten());
        assertEquals(3, second.duplicatesSkipped());
        assertEquals(3, alerts.primaries().size());
        assertEquals(List.of(), createdPerExecution.get(1));
    }

    @Test
    void afterDowntimeARunCatchesUpInOverlappingWindowsAndMissesNothing() {
        Instant checkpoint = NOW.minus(Duration.ofHours(2));
        state.saveCheckpoint("smb-rule", checkpoint);
        // One transfer every ten minutes through the downtime, one of them across a window border.
        for (int i = 0; i < 12; i++) {
            events.addAll(SmbTestData.transfer("host-" + i, checkpoint.plus(Duration.ofMinutes(10L * i + 3))));
        }

        ExecutionSummary summary = executor().execute(SmbTestData.rule(100), NOW);

        assertNull(summary.error());
        assertTrue(summary.windows().size() > 1, summary.windows().toString());
        assertEquals(
                checkpoint.minus(Duration.ofMinutes(4)),
                summary.windows().get(0).start(),
                "resumes look-back minus interval before the checkpoint");
        for (int i = 1; i < summary.windows().size(); i++) {
            TimeWindow previous = summary.windows().get(i - 1);
            assertEquals(
                    previous.end().minusSeconds(30), summary.windows().get(i).start(), "overlap of the maxspan");
        }
        assertEquals(12, summary.alertsWritten());
        assertEquals(12, alerts.primaries().size());
        assertEquals(Optional.of(NOW), state.checkpoint("smb-rule"));
    }

    @Test
    void downtimeBeyondTheCatchUpLimitIsRecordedAsAGapWithTheBackfillCommand() {
        state.saveCheckpoint("smb-rule", NOW.minus(Duration.ofHours(3)));
        events.addAll(SmbTestData.transfer("host-in-gap", NOW.minus(Duration.ofMinutes(150))));
        events.addAll(SmbTestData.transfer("host-recent", NOW.minus(Duration.ofMinutes(30))));

        ExecutionSummary summary = executor(Duration.ofHours(1)).execute(SmbTestData.rule(100), NOW);

        assertEquals(1, summary.alertsWritten(), "only the transfer within the catch-up limit");
        List<RunStateStore.RecordedGap> gaps = state.gaps("smb-rule");
        assertEquals(1, gaps.size());
        assertEquals(
                NOW.minus(Duration.ofHours(1)).plusSeconds(30),
                gaps.get(0).range().end());
        assertTrue(
                gaps.get(0).backfillCommand().startsWith("eqlwatch backfill --rule smb-rule --from "),
                gaps.get(0).backfillCommand());
        assertTrue(
                summary.warnings().get(0).contains("beyond the catch-up limit"),
                summary.warnings().toString());
    }

    @Test
    void theCapWritesMaxSignalsAndTheNextRunWritesTheRest() {
        events.addAll(SmbTestData.transfers(15, NOW.minus(Duration.ofMinutes(8))));
        Rule rule = SmbTestData.rule(10);

        ExecutionSummary first = executor().execute(rule, NOW);

        assertEquals(10, first.alertsWritten());
        assertEquals(5, first.droppedByCap());
        assertEquals(1, first.warnings().size());
        assertTrue(
                first.warnings().get(0).startsWith(CappedWrite.CAP_WARNING),
                first.warnings().get(0));
        assertEquals(10, alerts.primaries().size());
        assertEquals(10, createdPerExecution.get(0).size());
        assertTrue(
                state.checkpoint(rule.ruleId()).orElseThrow().isBefore(NOW),
                "the checkpoint stays so that the window is read again");

        ExecutionSummary second = executor().execute(rule, NOW.plus(Duration.ofMinutes(5)));

        assertEquals(5, second.alertsWritten(), "the dropped ones, although they left the usual window");
        assertEquals(10, second.duplicatesSkipped());
        assertEquals(0, second.droppedByCap());
        assertEquals(15, alerts.primaries().size());
    }

    @Test
    void theCapCountsAlertsOverAllCatchUpWindowsOfOneExecution() {
        Instant checkpoint = NOW.minus(Duration.ofHours(2));
        state.saveCheckpoint("smb-rule", checkpoint);
        for (int i = 0; i < 12; i++) {
            events.addAll(SmbTestData.transfer("host-" + i, checkpoint.plus(Duration.ofMinutes(10L * i + 3))));
        }

        ExecutionSummary summary = executor().execute(SmbTestData.rule(4), NOW);

        assertEquals(4, summary.alertsWritten());
        assertEquals(4, alerts.primaries().size());
        assertTrue(state.checkpoint("smb-rule").orElseThrow().isBefore(NOW));
        assertEquals(1, summary.warnings().size(), summary.warnings().toString());
        assertTrue(
                summary.warnings().get(0).startsWith(CappedWrite.CAP_WARNING)
                        && summary.warnings().get(0).contains("not read this run; the next run reads them"),
                "the cap stopped the catch-up before its last windows, and says so: " + summary.warnings());

        ExecutionSummary next = executor().execute(SmbTestData.rule(100), NOW.plus(Duration.ofMinutes(5)));

        assertEquals(8, next.alertsWritten(), "the windows left unread are read by the next run");
        assertEquals(12, alerts.primaries().size());
    }

    @Test
    void theCapWarningNamesTheRulesMaxSignalsWhenAnEarlierWindowUsedSomeOfIt() {
        Instant checkpoint = NOW.minus(Duration.ofHours(2));
        state.saveCheckpoint("smb-rule", checkpoint);
        events.addAll(SmbTestData.transfers(3, checkpoint.plus(Duration.ofMinutes(1))));
        events.addAll(SmbTestData.transfers(3, checkpoint.plus(Duration.ofMinutes(60))));

        ExecutionSummary summary = executor().execute(SmbTestData.rule(4), NOW);

        assertEquals(4, summary.alertsWritten());
        assertEquals(2, summary.droppedByCap());
        assertEquals(1, summary.warnings().size(), summary.warnings().toString());
        assertTrue(
                summary.warnings().get(0).contains("2 new match(es) beyond max_signals=4 "),
                "the rule's max_signals, not what the earlier window left of it: " + summary.warnings());
    }

    @Test
    void aFailedWriteLeavesTheCheckpointAndTheNextRunWritesTheAlerts() {
        events.addAll(SmbTestData.transfers(2, NOW.minusSeconds(300)));
        state.saveCheckpoint("smb-rule", NOW.minus(Duration.ofMinutes(5)));
        alerts.failFromWrite(1);

        ExecutionSummary failed = executor().execute(SmbTestData.rule(100), NOW);

        assertTrue(failed.failed());
        assertTrue(failed.error().contains("refuses writes"), failed.error());
        assertEquals(Optional.of(NOW.minus(Duration.ofMinutes(5))), state.checkpoint("smb-rule"));
        assertEquals(List.of(failed), state.executions("smb-rule", 10));

        alerts.heal();
        ExecutionSummary next = executor().execute(SmbTestData.rule(100), NOW.plus(Duration.ofMinutes(5)));
        assertFalse(next.failed());
        assertEquals(2, next.alertsWritten());
    }

    @Test
    void aRunActingAtAnEarlierInstantNeverMovesTheCheckpointBack() {
        state.saveCheckpoint("smb-rule", NOW);
        events.addAll(SmbTestData.transfers(1, NOW.minus(Duration.ofHours(1)).minusSeconds(120)));

        ExecutionSummary past = executor().execute(SmbTestData.rule(100), NOW.minus(Duration.ofHours(1)));

        assertEquals(1, past.alertsWritten());
        assertEquals(Optional.of(NOW), state.checkpoint("smb-rule"));
    }
}
