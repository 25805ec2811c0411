package io.eqlwatch.bench.jmh;

import io.eqlwatch.bench.DefendFieldTypes;
import io.eqlwatch.bench.SyntheticEventStream;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one whole match of the SMB rule: a fresh {@link QueryRunner} (as each rule execution builds)
 * takes a planted connection and its file write, emits the sequence and finishes. Cycles through 1,024
 * planted transfers. Run from the project root: {@code mvn -o -Pjmh test-compile exec:exec}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SmbSequenceBenchmark {

    private static final int POOL = 1024;

    private Query query;
    private Evaluator evaluator;
    private final Event[] connections = new Event[POOL];
    private final Event[] writes = new Event[POOL];
    private int next;

    @Setup
    public void setUp() {
        Rule rule = new RuleLoader().loadFile(Path.of("rules/lateral_tool_transfer_smb.yml"));
        query = rule.query();
        evaluator = new Evaluator(DefendFieldTypes.of(), rule.eventCategoryField());
        SyntheticEventStream stream = SmbRuleBenchmark.stream();
        int found = 0;
        while (found < 2 * POOL && stream.hasNext()) {
            Event e = stream.next();
            // planted transfer K is atk-K-net then atk-K-file; keep the first POOL of them, paired by K
            if (!e.id().startsWith("atk-")) {
                continue;
            }
            String[] parts = e.id().split("-");
            int k = Integer.parseInt(parts[1]);
            if (k < POOL) {
                (parts[2].equals("net") ? connections : writes)[k] = e;
                found++;
            }
        }
        if (found < 2 * POOL) {
            throw new IllegalStateException("only " + found + " planted events");
        }
        if (singleSequenceMatch().matchesFound() != 1) {
            throw new IllegalStateException("a planted transfer did not match: the benchmark would measure nothing");
        }
    }

    @Benchmark
    public RunCounters singleSequenceMatch() {
        int i = next++ & (POOL - 1);
        QueryRunner runner = new QueryRunner(query, evaluator, m -> {});
        runner.accept(connections[i]);
        runner.accept(writes[i]);
        return runner.finish();
    }
}
