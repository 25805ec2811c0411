package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A catch-up run that loses the race for its checkpoint to another node (which took the rule over
 * while this one was paused) does not read again the windows the other recorded, and never moves
 * the checkpoint back. In-memory ports; the other node is simulated by the store.
 */
class LostRaceTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private final InMemoryEventSource events = new InMemoryEventSource(SmbTestData.TYPES);
    private final InMemoryAlertSink alerts = new InMemoryAlertSink();
    private final InMemoryRunStateStore memory = new InMemoryRunStateStore();

    @Test
    void theWindowsAnotherNodeRecordedAreNotReadAgain() {
        Instant checkpoint = NOW.minus(Duration.ofHours(2));
        Instant otherNodeReached = NOW.minus(Duration.ofMinutes(30));
        memory.saveCheckpoint("smb-rule", checkpoint);
        RunStateStore racing = new Racing(memory, otherNodeReached);
        RuleExecutor executor = new RuleExecutor(
                indices -> SmbTestData.TYPES,
                new RunLoop(new WindowDetection(events, 100), "default"),
                alerts,
                racing,
                new WindowPlanner(Duration.ofHours(24)),
                Clock.fixed(NOW, ZoneOffset.UTC),
                List.of());

        ExecutionSummary summary = executor.execute(SmbTestData.rule(100), NOW);

        assertNull(summary.error());
        List<TimeWindow> read = summary.windows();
        assertTrue(read.size() >= 2, read.toString());
        assertTrue(
                read.stream().skip(1).allMatch(w -> w.end().isAfter(otherNodeReached)),
                "after the lost race only windows beyond the other node's checkpoint are read: " + read);
        assertEquals(Optional.of(NOW), memory.checkpoint("smb-rule"));
        List<Instant> writes = memory.checkpointWrites();
        for (int i = 1; i < writes.size(); i++) {
            assertTrue(!writes.get(i).isBefore(writes.get(i - 1)), "the checkpoint never moved back: " + writes);
        }
    }

    /** The state store, with another node moving the checkpoint just before this run's first save. */
    private static final class Racing implements RunStateStore {
        private final InMemoryRunStateStore store;
        private final Instant otherNodeReached;
        private boolean raced;

        Racing(InMemoryRunStateStore store, Instant otherNodeReached) {
            this.store = store;
            this.otherNodeReached = otherNodeReached;
        }

        @Override
        public Optional<Instant> checkpoint(String ruleId) {
            return store.checkpoint(ruleId);
        }

        @Override
        public void saveCheckpoint(String ruleId, Instant checkpoint) {
            advanceCheckpoint(ruleId, checkpoint);
        }

        @Override
        public Instant advanceCheckpoint(String ruleId, Instant to) {
            if (!raced) {
                raced = true;
                store.saveCheckpoint(ruleId, otherNodeReached);
            }
            Instant current = store.checkpoint(ruleId).orElseThrow();
            if (!to.isAfter(current)) {
                return current;
            }
            store.saveCheckpoint(ruleId, to);
            return to;
        }

        @Override
        public void recordExecution(ExecutionSummary summary) {
            store.recordExecution(summary);
        }

        @Override
        public void recordGap(String ruleId, TimeWindow gap, String backfillCommand) {
            store.recordGap(ruleId, gap, backfillCommand);
        }

        @Override
        public void clearGapsWithin(String ruleId, TimeWindow covered) {
            store.clearGapsWithin(ruleId, covered);
        }

        @Override
        public List<ExecutionSummary> executions(String ruleId, int limit) {
            return store.executions(ruleId, limit);
        }

        @Override
        public List<RecordedGap> gaps(String ruleId) {
            return store.gaps(ruleId);
        }
    }
}
