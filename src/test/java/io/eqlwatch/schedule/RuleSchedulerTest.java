package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Quartz as eqlwatch configures it: no overlapping runs of a rule, and missed fires coalesced into one run. */
class RuleSchedulerTest {

    private static final String RULE =
            """
            rule_id: 12121212-1111-2222-3333-444444444444
            name: Slow rule
            description: runs longer than its interval
            type: eql
            index: [logs-*]
            severity: low
            risk_score: 21
            interval: 1s
            from: now-9s
            query: process where true
            """;

    private final List<Instant[]> runs = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    @Test
    void aRunThatOverrunsItsIntervalIsFollowedByOneRunNotOnePerMissedFire() throws Exception {
        Rule rule = new RuleLoader().parse(RULE, null);
        RuleScheduler scheduler = new RuleScheduler(
                (r, now) -> {
                    int concurrent = running.incrementAndGet();
                    maxConcurrent.accumulateAndGet(concurrent, Math::max);
                    Instant start = Instant.now();
                    try {
                        // The first run takes 4.5 intervals, as if the cluster had been slow; the rest are quick.
                        Thread.sleep(runs.isEmpty() ? 4_500 : 10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    runs.add(new Instant[] {start, Instant.now()});
                    running.decrementAndGet();
                    return new ExecutionSummary(
                            r.ruleId(), r.name(), "x", now, Duration.ZERO, List.of(), 0, 0, 0, 0, 0, List.of(), null);
                },
                Clock.systemUTC(),
                4);
        try {
            scheduler.apply(List.of(rule));
            scheduler.start();
            Thread.sleep(6_500);
        } finally {
            scheduler.shutdown(Duration.ofSeconds(5));
        }
        assertEquals(1, maxConcurrent.get(), "two runs of one rule never overlap");
        Instant firstEnd = runs.get(0)[1];
        long burst = runs.stream()
                .skip(1)
                .filter(r -> Duration.between(firstEnd, r[0]).toMillis() < 700)
                .count();
        assertEquals(1, burst, "the four fires missed during the slow run make one run, not four");
        assertTrue(runs.size() >= 2, "the rule keeps its rhythm afterwards: " + runs.size());
    }

    @Test
    void theRunnerIsToldWhichRulesRemainSoItCanForgetTheRemovedOnes() {
        Rule slow = new RuleLoader().parse(RULE, null);
        Rule other = new RuleLoader().parse(RULE.replace("12121212", "34343434").replace("Slow rule", "Other"), null);
        List<Set<String>> told = new CopyOnWriteArrayList<>();
        RuleRunner runner = new RuleRunner() {
            @Override
            public ExecutionSummary execute(Rule rule, Instant now) {
                throw new AssertionError("the scheduler is not started");
            }

            @Override
            public void retainOnly(Set<String> ruleIds) {
                told.add(Set.copyOf(ruleIds));
            }
        };
        RuleScheduler scheduler = new RuleScheduler(runner, Clock.systemUTC(), 1);
        try {
            scheduler.apply(List.of(slow, other));
            scheduler.apply(List.of(other));
        } finally {
            scheduler.shutdown(Duration.ofSeconds(5));
        }
        assertEquals(List.of(Set.of(slow.ruleId(), other.ruleId()), Set.of(other.ruleId())), told);
    }

    @Test
    void rulesScheduledTogetherOnOneIntervalRunAsOneBatchEveryTime() throws Exception {
        List<Rule> rules = new ArrayList<>();
        for (int i = 10; i < 40; i++) {
            rules.add(new RuleLoader()
                    .parse(
                            RULE.replace("12121212", "121212" + i)
                                    .replace("Slow rule", "Rule " + i)
                                    .replace("interval: 1s", "interval: 2s"),
                            null));
        }
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        RuleRunner alone = (r, now) -> {
            batchSizes.add(1);
            return summary(r, now);
        };
        CoalescingRunner.Batch batch = (members, now) -> {
            batchSizes.add(members.size());
            return members.stream().map(r -> summary(r, now)).toList();
        };
        int concurrency = 2;
        int maxBatch = 64;
        RuleScheduler scheduler = new RuleScheduler(
                new CoalescingRunner(alone, batch, concurrency, Duration.ofMillis(300), maxBatch),
                Clock.systemUTC(),
                CoalescingRunner.jobThreads(concurrency, maxBatch));
        try {
            scheduler.apply(rules);
            scheduler.start();
            Thread.sleep(4_500);
        } finally {
            scheduler.shutdown(Duration.ofSeconds(5));
        }
        assertTrue(batchSizes.size() >= 2, "the rules ran at least twice: " + batchSizes);
        assertEquals(List.of(30, 30), batchSizes.subList(0, 2), "each fire of the 30 rules is one batch");
    }

    private static ExecutionSummary summary(Rule rule, Instant now) {
        return new ExecutionSummary(
                rule.ruleId(), rule.name(), "x", now, Duration.ZERO, List.of(), 0, 0, 0, 0, 0, List.of(), null);
    }
}
