package io.eqlwatch.schedule;

import io.eqlwatch.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the daemon's rules that fire together one batch, so that hundreds of rules on the same schedule cost one
 * read of their indices and one state request, as they do in {@code once}, instead of one of each per rule.
 *
 * <p>Quartz still fires each rule's own job, so a rule keeps everything its job gives it: no overlapping runs of it,
 * misfires coalesced, its own place in a clustered schedule. A job's thread hands its rule in here and waits for the
 * rule's own summary. The first rule to arrive opens a gathering; the rules arriving within {@link #gather} of it
 * join, up to {@link #maxBatch}; then the gathering runs as one batch once one of the {@code concurrency} batch slots
 * is free, and keeps taking in rules while it waits for one, so that a busy daemon makes larger batches rather than
 * a queue. A rule that finds no one to share with runs alone, as it always did.
 */
public final class CoalescingRunner implements RuleRunner {

    /** Executes rules due at one instant together; one summary per rule, in order (what {@link BatchExecutor} does). */
    @FunctionalInterface
    public interface Batch {
        List<ExecutionSummary> execute(List<Rule> rules, Instant now);
    }

    private static final Logger LOG = LoggerFactory.getLogger(CoalescingRunner.class);

    private final RuleRunner alone;
    private final Batch batch;
    private final Duration gather;
    private final int maxBatch;
    private final Semaphore slots;

    /** The gathering rules are joining now; {@code null} when none is open. Guarded by {@code this}. */
    private Gathering open;

    /**
     * @param alone       executes a rule on its own, and is told of refusals and of the rules that remain
     * @param batch       executes several rules together
     * @param concurrency batches (or lone rules) executed at the same time
     * @param gather      how long a gathering waits for more rules after its first
     * @param maxBatch    the most rules in one batch
     */
    public CoalescingRunner(RuleRunner alone, Batch batch, int concurrency, Duration gather, int maxBatch) {
        if (concurrency < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("concurrency and maxBatch must be at least 1");
        }
        this.alone = alone;
        this.batch = batch;
        this.gather = gather;
        this.maxBatch = maxBatch;
        this.slots = new Semaphore(concurrency, true);
    }

    /**
     * How many job threads Quartz needs so that every batch slot can be filled: each rule of a gathering holds its
     * job's thread while it waits.
     */
    public static int jobThreads(int concurrency, int maxBatch) {
        return Math.multiplyExact(concurrency, maxBatch);
    }

    @Override
    public ExecutionSummary execute(Rule rule, Instant now) {
        Gathering mine;
        int position;
        boolean leads;
        synchronized (this) {
            if (open == null) {
                open = new Gathering();
                leads = true;
            } else {
                leads = false;
            }
            mine = open;
            position = mine.add(rule, now);
            if (mine.size() == maxBatch) {
                open = null;
                notifyAll();
            }
        }
        if (leads) {
            lead(mine);
        }
        return mine.summaryAt(position);
    }

    /** Waits for the gathering to fill or its time to pass, then for a batch slot, then executes it. */
    private void lead(Gathering mine) {
        boolean slot = false;
        try {
            awaitGathered(mine);
            slots.acquire();
            slot = true;
            synchronized (this) {
                if (open == mine) {
                    open = null;
                }
            }
            mine.execute();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (this) {
                if (open == mine) {
                    open = null;
                }
            }
            mine.fail(new IllegalStateException("interrupted before the rule could run (the daemon is stopping)"));
        } finally {
            if (slot) {
                slots.release();
            }
        }
    }

    private synchronized void awaitGathered(Gathering mine) throws InterruptedException {
        long deadline = System.nanoTime() + gather.toNanos();
        long left;
        while (open == mine && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void refuse(String ruleId, String ruleName, Instant now, String reason) {
        alone.refuse(ruleId, ruleName, now, reason);
    }

    @Override
    public void retainOnly(Set<String> ruleIds) {
        alone.retainOnly(ruleIds);
    }

    /** The rules that fire together, and each one's summary once their batch has run. */
    private final class Gathering {

        private final List<Rule> rules = new ArrayList<>();
        private Instant latest;
        private final CompletableFuture<List<ExecutionSummary>> done = new CompletableFuture<>();

        /** Called holding the runner's lock; gives the rule's place in the batch. */
        int add(Rule rule, Instant now) {
            rules.add(rule);
            latest = latest == null || now.isAfter(latest) ? now : latest;
            return rules.size() - 1;
        }

        /** Called holding the runner's lock. */
        int size() {
            return rules.size();
        }

        void execute() {
            List<Rule> members;
            Instant now;
            synchronized (CoalescingRunner.this) {
                members = List.copyOf(rules);
                now = latest;
            }
            try {
                if (members.size() == 1) {
                    done.complete(List.of(alone.execute(members.get(0), now)));
                    return;
                }
                // One instant for all: rules can share a read only over the same window. It is the latest of their
                // fire times, so no rule's window ends earlier than it would have alone.
                LOG.info("{} rules fired together: executed as one batch", members.size());
                List<ExecutionSummary> summaries = batch.execute(members, now);
                if (summaries.size() != members.size()) {
                    throw new IllegalStateException(
                            "the batch of " + members.size() + " rules gave " + summaries.size() + " summaries");
                }
                done.complete(summaries);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
                if (e instanceof Error error) {
                    throw error;
                }
            }
        }

        void fail(RuntimeException e) {
            done.completeExceptionally(e);
        }

        ExecutionSummary summaryAt(int position) {
            try {
                return done.get().get(position);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the rule's batch was running", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
        }
    }
}
