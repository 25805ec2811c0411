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
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine alone on events already read: a window of {@value #EVENTS} generated Elastic Defend events (the
 * bench stream's mix with the execution benchmark's 9% candidate rate), held in memory, streamed through a fresh
 * {@link QueryRunner} for the SMB rule per invocation, as one execution does. The score is per event, so its
 * inverse is the events per second on one core. Run: {@code mvn -o -Pjmh test-compile exec:exec
 * -Djmh.args="SmbStream"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class SmbStreamBenchmark {

    static final int EVENTS = 200_000;

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
        window = new Event[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            window[i] = stream.next();
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

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public RunCounters window() {
        QueryRunner runner = new QueryRunner(query, evaluator, m -> {});
        for (Event event : window) {
            runner.accept(event);
        }
        return runner.finish();
    }
}
