package io.eqlwatch.bench.jmh;

import io.eqlwatch.bench.DefendFieldTypes;
import io.eqlwatch.bench.PlantedMatchCheck;
import io.eqlwatch.bench.SyntheticEventStream;
import io.eqlwatch.bench.Workload;
import io.eqlwatch.engine.QueryRunner;
import io.eqlwatch.engine.RunCounters;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.SlotLayout;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.source.SlotDecoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine alone on events already read: a window of {@value #EVENTS} generated Elastic Defend events (the
 * bench stream's mix with the execution benchmark's 9% candidate rate), held in memory, streamed through a fresh
 * {@link QueryRunner} for the SMB rule per invocation, as one execution does. The score is per event, so its
 * inverse is the events per second on one core. Each event is held either as its source's maps ({@code maps}, as
 * an event file or a whole-source read gives it) or decoded into the slots of the rule's source fields
 * ({@code slots}, as a search page is decoded), so one run compares the two. Run: {@code mvn -o -Pjmh
 * test-compile exec:exec -Djmh.args="SmbStream"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
// A fixed heap, touched before measuring: with the default heap of a quarter of RAM, eden kept growing into
// pages the kernel had never handed out, and its zeroing of them was a third of the measured CPU time (no GC
// ran in the measured iterations); the daemon's bounded heap reuses its pages from one collection to the next.
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class SmbStreamBenchmark {

    static final int EVENTS = 200_000;
    /** Events per search page, the reader's default: one decoder decodes each page's hits. */
    static final int PAGE = 10_000;

    /** How the events hold their source: {@code maps} or {@code slots}. */
    @Param({"maps", "slots"})
    public String representation;

    private Query query;
    private Evaluator evaluator;
    private Event[] window;
    private long planted;

    @Setup
    public void setUp() {
        Rule rule = new RuleLoader().loadFile(Path.of("rules/lateral_tool_transfer_smb.yml"));
        query = rule.query();
        evaluator = new Evaluator(DefendFieldTypes.of(), rule.eventCategoryField());
        SyntheticEventStream stream =
                new SyntheticEventStream(new Workload(EVENTS, 2000, 0.0001, 0.09, 2000, null, 42));
        SlotLayout layout =
                SlotLayout.of(Planner.plan(rule, DefendFieldTypes.of()).sourceFields());
        window = new Event[EVENTS];
        SlotDecoder decoder = null;
        for (int i = 0; i < EVENTS; i++) {
            Event event = stream.next();
            if (i % PAGE == 0) {
                decoder = new SlotDecoder(layout);
            }
            // A search page's event is built from the hit's own sort value and source, each made as the hit is
            // decoded, so they lie beside one another in memory; so are these, not shared with the generator.
            window[i] = representation.equals("slots")
                    ? new Event(
                            event.id(),
                            event.index(),
                            Instant.ofEpochSecond(
                                    event.timestamp().getEpochSecond(),
                                    event.timestamp().getNano()),
                            event.tiebreaker(),
                            decoder.decode(event.source()))
                    : event;
        }
        planted = stream.tally().planted();
        PlantedMatchCheck check = new PlantedMatchCheck();
        QueryRunner runner = new QueryRunner(query, evaluator, check);
        for (Event event : window) {
            runner.accept(event);
        }
        runner.finish();
        String mismatch = check.verify(stream);
        if (mismatch != null || planted == 0) {
            throw new IllegalStateException(
                    "the window's matches are not its " + planted + " planted transfers: " + mismatch);
        }
    }

    /**
     * The CPU time the benchmark thread spent and the events it matched, summed over each iteration: on a machine
     * shared with other work, wall-clock throughput counts the time the thread waited for a core, CPU time does
     * not. CPU nanoseconds per event is {@code cpuNanos / events}.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        public long cpuNanos;
        public long events;

        long now() {
            return THREADS.getCurrentThreadCpuTime();
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public RunCounters window(CpuTime cpu) {
        long start = cpu.now();
        QueryRunner runner = new QueryRunner(query, evaluator, m -> {});
        for (Event event : window) {
            runner.accept(event);
        }
        RunCounters counters = runner.finish();
        cpu.cpuNanos += cpu.now() - start;
        cpu.events += window.length;
        return counters;
    }
}
