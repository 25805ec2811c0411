package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The daemon's rules that fire together run as one batch, and each still gets its own outcome. */
class CoalescingRunnerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");

    private final ExecutorService jobs = Executors.newCachedThreadPool();
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final List<Instant> batchInstants = new CopyOnWriteArrayList<>();
    private final List<String> alone = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopJobs() {
        jobs.shutdownNow();
    }

    @Test
    void rulesFiringTogetherRunAsOneBatchAtTheLatestOfTheirFireTimesEachWithItsOwnSummary() throws Exception {
        CoalescingRunner runner = runner(recordingBatch(), 2, Duration.ofMillis(400), 64);
        List<Future<ExecutionSummary>> fired = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fired.add(fire(runner, rule(i), T0.plusMillis(i)));
        }
        for (int i = 0; i < 5; i++) {
            ExecutionSummary summary = fired.get(i).get(10, TimeUnit.SECONDS);
            assertEquals(rule(i).ruleId(), summary.ruleId(), "each fire gets its own rule's summary");
        }
        assertEquals(1, batches.size(), "one batch: " + batches);
        assertEquals(5, batches.get(0).size());
        assertEquals(T0.plusMillis(4), batchInstants.get(0), "no rule's window ends earlier than it would alone");
        assertTrue(alone.isEmpty());
    }

    @Test
    void aRuleThatFindsNoOneToShareWithRunsAloneAsBefore() throws Exception {
        CoalescingRunner runner = runner(recordingBatch(), 2, Duration.ofMillis(50), 64);
        ExecutionSummary summary = fire(runner, rule(1), T0).get(10, TimeUnit.SECONDS);
        assertEquals(rule(1).ruleId(), summary.ruleId());
        assertEquals(List.of(rule(1).ruleId()), alone);
        assertTrue(batches.isEmpty());
    }

    @Test
    void noBatchHoldsMoreThanTheMostAllowed() throws Exception {
        CoalescingRunner runner = runner(recordingBatch(), 4, Duration.ofMillis(400), 2);
        List<Future<ExecutionSummary>> fired = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fired.add(fire(runner, rule(i), T0));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    rule(i).ruleId(), fired.get(i).get(10, TimeUnit.SECONDS).ruleId());
        }
        int ran = alone.size();
        for (List<String> batch : batches) {
            assertTrue(batch.size() <= 2, "batch of " + batch.size());
            ran += batch.size();
        }
        assertEquals(5, ran, "every rule ran exactly once");
    }

    @Test
    void rulesFiringWhileEveryBatchSlotIsBusyJoinTheNextBatchInsteadOfQueueingOneByOne() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CoalescingRunner.Batch batch = (rules, now) -> {
            if (batches.isEmpty()) {
                firstRunning.countDown();
                await(releaseFirst);
            }
            return recordingBatch().execute(rules, now);
        };
        CoalescingRunner runner = runner(batch, 1, Duration.ofMillis(200), 64);
        List<Future<ExecutionSummary>> fired = new ArrayList<>();
        fired.add(fire(runner, rule(0), T0));
        fired.add(fire(runner, rule(1), T0));
        assertTrue(firstRunning.await(10, TimeUnit.SECONDS));
        for (int i = 2; i < 6; i++) {
            fired.add(fire(runner, rule(i), T0.plusSeconds(1)));
            Thread.sleep(120); // together they arrive over longer than one gathering time
        }
        releaseFirst.countDown();
        for (Future<ExecutionSummary> f : fired) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(2, batches.size(), "the busy slot's backlog ran as one batch: " + batches);
        assertEquals(4, batches.get(1).size());
    }

    @Test
    void aBatchThatFailsFailsEachOfItsRulesAndTheNextFiresStillRun() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CoalescingRunner.Batch batch = (rules, now) -> {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("the cluster refused the batch's state request");
            }
            return recordingBatch().execute(rules, now);
        };
        CoalescingRunner runner = runner(batch, 2, Duration.ofMillis(300), 64);
        Future<ExecutionSummary> a = fire(runner, rule(1), T0);
        Future<ExecutionSummary> b = fire(runner, rule(2), T0);
        for (Future<ExecutionSummary> f : List.of(a, b)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertEquals(
                    "the cluster refused the batch's state request",
                    e.getCause().getMessage());
        }
        Future<ExecutionSummary> c = fire(runner, rule(1), T0.plusSeconds(300));
        Future<ExecutionSummary> d = fire(runner, rule(2), T0.plusSeconds(300));
        assertEquals(rule(1).ruleId(), c.get(10, TimeUnit.SECONDS).ruleId());
        assertEquals(rule(2).ruleId(), d.get(10, TimeUnit.SECONDS).ruleId());
    }

    @Test
    void refusalsAndTheRemainingRulesReachTheRunnerOfSingleRules() {
        List<String> told = new CopyOnWriteArrayList<>();
        RuleRunner single = new RuleRunner() {
            @Override
            public ExecutionSummary execute(Rule rule, Instant now) {
                throw new AssertionError("not run");
            }

            @Override
            public void refuse(String ruleId, String ruleName, Instant now, String reason) {
                told.add("refuse " + ruleId + ": " + reason);
            }

            @Override
            public void retainOnly(Set<String> ruleIds) {
                told.add("retain " + ruleIds);
            }
        };
        CoalescingRunner runner = new CoalescingRunner(single, recordingBatch(), 1, Duration.ofMillis(10), 8);
        runner.refuse("r1", "Rule one", T0, "another version");
        runner.retainOnly(Set.of("r2"));
        assertEquals(List.of("refuse r1: another version", "retain [r2]"), told);
    }

    private CoalescingRunner runner(CoalescingRunner.Batch batch, int concurrency, Duration gather, int maxBatch) {
        RuleRunner single = (rule, now) -> {
            alone.add(rule.ruleId());
            return summary(rule, now);
        };
        return new CoalescingRunner(single, batch, concurrency, gather, maxBatch);
    }

    private CoalescingRunner.Batch recordingBatch() {
        return (rules, now) -> {
            batches.add(rules.stream().map(Rule::ruleId).toList());
            batchInstants.add(now);
            return rules.stream().map(rule -> summary(rule, now)).toList();
        };
    }

    private Future<ExecutionSummary> fire(CoalescingRunner runner, Rule rule, Instant now) {
        CompletableFuture<ExecutionSummary> result = new CompletableFuture<>();
        jobs.submit(() -> {
            try {
                result.complete(runner.execute(rule, now));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ExecutionSummary summary(Rule rule, Instant now) {
        return new ExecutionSummary(
                rule.ruleId(), rule.name(), "x", now, Duration.ZERO, List.of(), 0, 0, 0, 0, 0, List.of(), null);
    }

    private static Rule rule(int i) {
        return new RuleLoader()
                .parse(
                        """
                        rule_id: 00000000-0000-0000-0000-00000000000%d
                        name: Rule %d
                        description: a rule
                        type: eql
                        index: [logs-*]
                        severity: low
                        risk_score: 21
                        interval: 5m
                        from: now-9m
                        query: process where true
                        """
                                .formatted(i, i),
                        null);
    }
}
