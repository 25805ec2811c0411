package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.testing.ElasticsearchHarness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retention of the execution history on the real cluster: executions older than the retention go,
 * newer ones, the checkpoint and the recorded gaps stay. (The integ-test-zip has no ILM, which
 * eqlwatch does not need for this: it deletes by date itself.)
 */
class HistoryRetentionIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");

    @Test
    void executionsOlderThanTheRetentionAreDeletedAndStateIsKept() {
        ElasticsearchRunStateStore store =
                new ElasticsearchRunStateStore(ES.client(), ES.uniqueIndexName("eqlwatch-state"));
        store.install();
        for (int daysAgo : new int[] {45, 31, 29, 1}) {
            store.recordExecution(execution("rule-a", "a-" + daysAgo, NOW.minus(Duration.ofDays(daysAgo))));
        }
        store.recordExecution(execution("rule-b", "b-40", NOW.minus(Duration.ofDays(40))));
        store.saveCheckpoint("rule-a", NOW.minus(Duration.ofDays(60)));
        store.recordGap(
                "rule-a",
                new TimeWindow(NOW.minus(Duration.ofDays(90)), NOW.minus(Duration.ofDays(89))),
                "eqlwatch backfill ...");

        HistoryRetention retention = new HistoryRetention(store, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(3, retention.prune(), "two of rule-a and one of rule-b are older than 30 days");

        List<String> kept = store.executions("rule-a", 100).stream()
                .map(ExecutionSummary::executionId)
                .toList();
        assertEquals(List.of("a-1", "a-29"), kept);
        assertTrue(store.executions("rule-b", 100).isEmpty());
        assertEquals(
                NOW.minus(Duration.ofDays(60)),
                store.checkpoint("rule-a").orElseThrow(),
                "the checkpoint is state, whatever its age");
        assertEquals(1, store.gaps("rule-a").size(), "an unfilled gap stays until a backfill fills it");
        assertEquals(0, retention.prune(), "a second pass finds nothing more");
    }

    private static ExecutionSummary execution(String ruleId, String id, Instant started) {
        return new ExecutionSummary(
                ruleId,
                "Rule " + ruleId,
                id,
                started,
                Duration.ofMillis(5),
                List.of(new TimeWindow(started.minusSeconds(300), started)),
                1,
                0,
                0,
                0,
                0,
                List.of(),
                null);
    }
}
