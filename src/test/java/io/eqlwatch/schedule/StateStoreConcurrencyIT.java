package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.es.ElasticsearchClients;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two processes' stores (each with its own client) writing one rule's state at once, on a real
 * Elasticsearch: the checkpoint ends at the latest instant any of them reached and is never seen
 * to move backwards, a writer told it lost learns where the winner stands, and gaps widen rather
 * than shrink.
 */
class StateStoreConcurrencyIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant BASE = Instant.parse("2026-12-01T10:00:00Z");

    private final String index = ES.uniqueIndexName("eqlwatch-state");

    @Test
    void racingWritersNeverMoveACheckpointBackwards() throws Exception {
        ElasticsearchRunStateStore a = store("node-a");
        ElasticsearchRunStateStore b = store("node-b");
        a.install();
        List<String> problems = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            ElasticsearchRunStateStore store = w % 2 == 0 ? a : b;
            int offset = w;
            writers.add(pool.submit(() -> {
                for (int i = 0; i < 15; i++) {
                    Instant to = BASE.plusSeconds(i * 10L + offset);
                    Instant stored = store.advanceCheckpoint("rule-1", to);
                    if (stored.isBefore(to)) {
                        problems.add("advanced to " + to + " but the store says " + stored);
                    }
                }
            }));
        }
        Future<?> watcher = pool.submit(() -> {
            Instant seen = Instant.EPOCH;
            while (!writers.stream().allMatch(Future::isDone)) {
                Instant now = b.checkpoint("rule-1").orElse(Instant.EPOCH);
                if (now.isBefore(seen)) {
                    problems.add("moved back from " + seen + " to " + now);
                }
                seen = now;
            }
        });
        for (Future<?> writer : writers) {
            writer.get(120, TimeUnit.SECONDS);
        }
        watcher.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        assertEquals(List.of(), problems);
        assertEquals(
                BASE.plusSeconds(143), a.checkpoint("rule-1").orElseThrow(), "the latest instant any writer reached");

        a.saveCheckpoint("rule-1", BASE);
        assertEquals(BASE.plusSeconds(143), b.checkpoint("rule-1").orElseThrow(), "an older save changes nothing");
        assertEquals(
                BASE.plusSeconds(143),
                a.advanceCheckpoint("rule-1", BASE.plusSeconds(100)),
                "a writer behind learns where the checkpoint stands");
    }

    @Test
    void aGapFoundTwiceIsRecordedOnceAtItsWidestAndClearedOnlyWhenWhollyCovered() {
        ElasticsearchRunStateStore a = store("node-a");
        ElasticsearchRunStateStore b = store("node-b");
        a.recordGap("rule-2", new TimeWindow(BASE, BASE.plusSeconds(3600)), "backfill 1");
        b.recordGap("rule-2", new TimeWindow(BASE, BASE.plusSeconds(3660)), "backfill 2");
        a.recordGap("rule-2", new TimeWindow(BASE, BASE.plusSeconds(3600)), "backfill 1");
        List<RunStateStore.RecordedGap> gaps = b.gaps("rule-2");
        assertEquals(1, gaps.size(), gaps.toString());
        assertEquals(BASE.plusSeconds(3660), gaps.get(0).range().end());

        a.clearGapsWithin("rule-2", new TimeWindow(BASE, BASE.plusSeconds(3600)));
        assertEquals(1, b.gaps("rule-2").size(), "a backfill that covered part of the gap leaves it");
        a.clearGapsWithin("rule-2", new TimeWindow(BASE.minusSeconds(1), BASE.plusSeconds(3660)));
        assertTrue(b.gaps("rule-2").isEmpty());
    }

    @Test
    void eachExecutionNamesTheNodeThatRanIt() {
        ElasticsearchRunStateStore a = store("node-a");
        assertFalse(a.lastExecutionNode("rule-3").isPresent());
        a.recordExecution(new ExecutionSummary(
                "rule-3", "Rule 3", "e1", BASE, java.time.Duration.ZERO, List.of(), 0, 0, 0, 0, 0, List.of(), null));
        store("node-b")
                .recordExecution(new ExecutionSummary(
                        "rule-3",
                        "Rule 3",
                        "e2",
                        BASE.plusSeconds(60),
                        java.time.Duration.ZERO,
                        List.of(),
                        0,
                        0,
                        0,
                        0,
                        0,
                        List.of(),
                        null));
        assertEquals("node-b", a.lastExecutionNode("rule-3").orElseThrow());
    }

    private ElasticsearchRunStateStore store(String node) {
        return new ElasticsearchRunStateStore(ElasticsearchClients.create(ES.url()), index, node);
    }
}
