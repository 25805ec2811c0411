package io.eqlwatch.engine;

import io.eqlwatch.eql.EventEvaluator;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.event.Event;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.QueryPlan;
import io.eqlwatch.plan.QueryShape;
import io.eqlwatch.plan.StagePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs one compiled EQL query (a {@link QueryPlan}) over a stream of events: an event query, a sequence or a sample, then
 * its {@code head}/{@code tail} pipes. Feed events with {@link #accept} in stream order (ascending
 * timestamp, then tiebreaker; see {@link EventOrder}), then call {@link #finish}. Matches reach the
 * sink as soon as they are final, in the order Elasticsearch would return them.
 *
 * <p>Not thread-safe: one runner per query execution.
 */
public final class QueryRunner {

    /** Elasticsearch's default for the {@code max_samples_per_key} request parameter. */
    public static final int DEFAULT_MAX_SAMPLES_PER_KEY = 1;

    private final PipeChain pipes;
    private final StagePlan eventQuery;
    private final SequenceMatcher sequence;
    private final SampleMatcher sample;
    private final StreamClock clock = new StreamClock();
    private long eventMatches;
    private boolean finished;

    public QueryRunner(QueryPlan plan, Consumer<Match> sink) {
        this(plan, DEFAULT_MAX_SAMPLES_PER_KEY, sink);
    }

    public QueryRunner(QueryPlan plan, int maxSamplesPerKey, Consumer<Match> sink) {
        Objects.requireNonNull(plan, "plan");
        this.pipes = new PipeChain(plan.pipes(), Objects.requireNonNull(sink, "sink"));
        this.eventQuery = plan.shape() == QueryShape.EVENT ? plan.stages().get(0) : null;
        this.sequence = plan.shape() == QueryShape.SEQUENCE ? new SequenceMatcher(plan, pipes) : null;
        this.sample = plan.shape() == QueryShape.SAMPLE ? new SampleMatcher(plan, maxSamplesPerKey, pipes) : null;
    }

    /** Plans the query for in-memory matching with the given evaluator, then runs it (for tests and tools). */
    public QueryRunner(Query query, EventEvaluator evaluator, Consumer<Match> sink) {
        this(Planner.forMatching(query, evaluator), sink);
    }

    public QueryRunner(Query query, EventEvaluator evaluator, int maxSamplesPerKey, Consumer<Match> sink) {
        this(Planner.forMatching(query, evaluator), maxSamplesPerKey, sink);
    }

    /** Runs the query over all the events at once; they are put in stream order first (a stable sort). */
    public static List<Match> run(Query query, Iterable<Event> events, EventEvaluator evaluator) {
        return run(Planner.forMatching(query, evaluator), events);
    }

    /** Runs the plan over all the events at once; they are put in stream order first (a stable sort). */
    public static List<Match> run(QueryPlan plan, Iterable<Event> events) {
        List<Event> ordered = new ArrayList<>();
        events.forEach(ordered::add);
        ordered.sort(EventOrder.COMPARATOR);
        List<Match> out = new ArrayList<>();
        QueryRunner runner = new QueryRunner(plan, out::add);
        for (Event event : ordered) {
            if (runner.satisfied()) {
                break;
            }
            runner.accept(event);
        }
        runner.finish();
        return out;
    }

    /** Feeds the next event of the stream. */
    public void accept(Event event) {
        if (finished) {
            throw new IllegalStateException("the run is finished");
        }
        long arrival = clock.next(event);
        if (pipes.saturated()) {
            return;
        }
        if (sequence != null) {
            sequence.accept(event, arrival);
        } else if (sample != null) {
            sample.accept(event);
        } else if (eventQuery.matches(event)) {
            eventMatches++;
            pipes.accept(new Match(List.of(event), List.of()));
        }
    }

    /**
     * {@code true} once a {@code head} pipe is full: no further event can change the result, so
     * the caller may stop reading (it must still call {@link #finish}).
     */
    public boolean satisfied() {
        return pipes.saturated();
    }

    /** Ends the stream: emits what was waiting for it (tail buffers, samples, missing-event decisions). */
    public RunCounters finish() {
        if (!finished) {
            finished = true;
            if (sequence != null) {
                sequence.finish();
            } else if (sample != null) {
                sample.finish();
            }
            pipes.finish();
        }
        return counters();
    }

    public RunCounters counters() {
        long pending = sequence != null ? sequence.pendingSequences() : sample != null ? sample.pendingKeys() : 0;
        long peak = sequence != null ? sequence.peakPendingSequences() : pending;
        long found = sequence != null ? sequence.matches() : sample != null ? sample.matches() : eventMatches;
        return new RunCounters(clock.seen(), pending, peak, found, pipes.returned());
    }
}
