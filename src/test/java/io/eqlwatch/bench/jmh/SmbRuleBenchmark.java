package io.eqlwatch.bench.jmh;

import io.eqlwatch.bench.DefendFieldTypes;
import io.eqlwatch.bench.SyntheticEventStream;
import io.eqlwatch.bench.Workload;
import io.eqlwatch.eql.CompiledEventQuery;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.event.Event;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-event cost of the SMB lateral tool transfer rule's two stages on each kind of event the synthetic
 * stream carries. Each benchmark cycles through 1,024 distinct events of its kind, so lookups walk real, varied documents
 * rather than one event hot in the L1 cache.
 *
 * <p>Run from the project root (it reads {@code rules/lateral_tool_transfer_smb.yml}):
 * {@code mvn -o -Pjmh test-compile exec:exec}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SmbRuleBenchmark {

    private static final int POOL = 1024;

    /**
     * windows-network-noise, windows-file-noise, linux-noise: noise that no stage accepts (most of a stream);
     * smb-connection: a stage-1 match; executable-write: a stage-2 match.
     */
    @Param({"windows-network-noise", "windows-file-noise", "linux-noise", "smb-connection", "executable-write"})
    public String kind;

    private CompiledEventQuery stage1;
    private CompiledEventQuery stage2;
    private EventQuery stage1Query;
    private Evaluator evaluator;
    private Event[] events;
    private int next;

    @Setup
    public void setUp() {
        Rule rule = new RuleLoader().loadFile(Path.of("rules/lateral_tool_transfer_smb.yml"));
        SequenceQuery sequence = (SequenceQuery) rule.query().body();
        evaluator = new Evaluator(DefendFieldTypes.of(), rule.eventCategoryField());
        stage1Query = sequence.stages().get(0).event();
        stage1 = evaluator.compile(stage1Query);
        stage2 = evaluator.compile(sequence.stages().get(1).event());
        events = pool(kind);
    }

    private Event[] pool(String wanted) {
        Predicate<Event> noise = e -> !stage1.matches(e) && !stage2.matches(e);
        Predicate<Event> pick =
                switch (wanted) {
                    case "windows-network-noise" -> noise.and(
                            e -> windows(e) && e.values("event.category").contains("network"));
                    case "windows-file-noise" -> noise.and(
                            e -> windows(e) && e.values("event.category").contains("file"));
                    case "linux-noise" -> noise.and(e -> !windows(e));
                    case "smb-connection" -> stage1::matches;
                    case "executable-write" -> stage2::matches;
                    default -> throw new IllegalArgumentException("unknown kind " + wanted);
                };
        List<Event> out = new ArrayList<>(POOL);
        SyntheticEventStream stream = stream();
        while (out.size() < POOL && stream.hasNext()) {
            Event e = stream.next();
            if (pick.test(e)) {
                out.add(e);
            }
        }
        if (out.size() < POOL) {
            throw new IllegalStateException("only " + out.size() + " events of kind " + wanted);
        }
        return out.toArray(Event[]::new);
    }

    static SyntheticEventStream stream() {
        // a dense stream so that each pool fills quickly: 2% of slots plant a transfer, 5% are candidates
        return new SyntheticEventStream(new Workload(2_000_000, 5000, 0.02, 0.05, 2000, null, 7));
    }

    private static boolean windows(Event e) {
        return "windows".equals(e.first("host.os.type"));
    }

    private Event nextEvent() {
        return events[next++ & (POOL - 1)];
    }

    /** Stage 1 ({@code network where ...}) on one event, compiled once as the engine holds it. */
    @Benchmark
    public boolean stage1() {
        return stage1.matches(nextEvent());
    }

    /** Stage 2 ({@code file where ...}) on one event. */
    @Benchmark
    public boolean stage2() {
        return stage2.matches(nextEvent());
    }

    /** Stage 1 through {@link Evaluator#matches}, as the sequence matcher calls it (a cache lookup per call). */
    @Benchmark
    public boolean stage1ThroughEvaluatorCache() {
        return evaluator.matches(stage1Query, nextEvent());
    }
}
