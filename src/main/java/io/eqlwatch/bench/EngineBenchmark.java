package io.eqlwatch.bench;

import io.eqlwatch.engine.Match;
import io.eqlwatch.engine.QueryRunner;
import io.eqlwatch.engine.RunCounters;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldTypes;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Consumer;

/**
 * Streams a synthetic workload through the real engine (a fresh {@link Evaluator} and {@link QueryRunner}
 * per iteration, as a rule execution has) and measures it. Events are generated a batch at a time, outside
 * the timed part, so the figures are the engine's, not the generator's; only one batch is ever held.
 */
public final class EngineBenchmark {

    /** Events generated ahead of the timed loop: small enough to stay in cache and not to weigh on the heap. */
    static final int BATCH = 1024;

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final Query query;
    private final FieldTypes types;
    private final String categoryField;
    private final boolean checkPlanted;

    /**
     * @param checkPlanted whether the matches must be the planted transfers (only true for the SMB rule,
     *                     whose sequences the generator plants)
     */
    public EngineBenchmark(Query query, FieldTypes types, String categoryField, boolean checkPlanted) {
        this.query = query;
        this.types = types;
        this.categoryField = categoryField;
        this.checkPlanted = checkPlanted;
    }

    /**
     * One pass over the workload.
     *
     * @param events       events fed
     * @param engineNanos  time spent in the engine ({@code QueryRunner.accept} and {@code finish})
     * @param engineCpuNanos CPU time the benchmark thread spent in the engine: on a shared machine this
     *                     leaves out the time the thread waited for a core (GC threads are not counted)
     * @param wallNanos    time of the whole pass, generation included
     * @param counters     the runner's counters (matches found, peak pending sequences)
     * @param tally        what the generator made
     * @param mismatch     {@code null} when the matches are exactly the planted transfers (or not checked)
     * @param checked      whether matches were checked against the planted transfers
     * @param peakUsedHeap heap in use at its highest, garbage included (sampled after every batch)
     * @param peakLiveHeap heap in use right after a collection, at its highest (0 if no collection ran)
     * @param collections  garbage collections during the pass
     * @param gcPauseMillis their total duration
     */
    public record Iteration(
            long events,
            long engineNanos,
            long engineCpuNanos,
            long wallNanos,
            RunCounters counters,
            SyntheticEventStream.Tally tally,
            String mismatch,
            boolean checked,
            long peakUsedHeap,
            long peakLiveHeap,
            long collections,
            long gcPauseMillis) {

        public double eventsPerSecond() {
            return engineNanos == 0 ? 0 : events * 1e9 / engineNanos;
        }

        public double nanosPerEvent() {
            return events == 0 ? 0 : (double) engineNanos / events;
        }

        public double cpuNanosPerEvent() {
            return events == 0 ? 0 : (double) engineCpuNanos / events;
        }

        /** Events per second including the generator's own cost. */
        public double endToEndEventsPerSecond() {
            return wallNanos == 0 ? 0 : events * 1e9 / wallNanos;
        }
    }

    public Iteration run(Workload workload) {
        SyntheticEventStream stream = new SyntheticEventStream(workload);
        PlantedMatchCheck check = new PlantedMatchCheck();
        // without the check the runner's own counters say how many matched; nothing is kept
        Consumer<Match> sink = checkPlanted ? check : m -> {};
        Event[] batch = new Event[BATCH];
        long engine = 0;
        long engineCpu = 0;
        RunCounters counters;
        try (HeapWatch heap = HeapWatch.start()) {
            long wallStart = System.nanoTime();
            QueryRunner runner = new QueryRunner(query, new Evaluator(types, categoryField), sink);
            while (stream.hasNext()) {
                int n = 0;
                while (n < BATCH && stream.hasNext()) {
                    batch[n++] = stream.next();
                }
                long c0 = CPU.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    runner.accept(batch[i]);
                }
                engine += System.nanoTime() - t0;
                engineCpu += CPU.getCurrentThreadCpuTime() - c0;
                heap.sample();
            }
            long c0 = CPU.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            counters = runner.finish();
            long end = System.nanoTime();
            engine += end - t0;
            engineCpu += CPU.getCurrentThreadCpuTime() - c0;
            heap.sample();
            String mismatch = checkPlanted ? check.verify(stream) : null;
            return new Iteration(
                    stream.tally().events(),
                    engine,
                    engineCpu,
                    end - wallStart,
                    counters,
                    stream.tally(),
                    mismatch,
                    checkPlanted,
                    heap.peakUsed(),
                    heap.peakAfterGc(),
                    heap.collections(),
                    heap.pauseMillis());
        }
    }
}
