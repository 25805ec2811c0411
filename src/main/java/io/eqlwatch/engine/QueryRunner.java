package io.eqlwatch.engine;

import io.eqlwatch.eql.EventEvaluator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs one parsed EQL query over a stream of events: an event query, a sequence or a sample, then
 * its {@code head}/{@code tail} pipes. Feed events with {@link #accept} in stream order (ascending
 * timestamp, then tiebreaker; see {@link EventOrder}), then call {@link #finish}. Matches reach the
 * sink as soon as they are final, in the order Elasticsearch would return them.
 *
 * <p>Not thread-safe: one runner per query execution.
 */
public final class QueryRunner {

    /** Elasticsearch's default for the {@code max_samples_per_key} request parameter. */
    public static final int DEFAULT_MAX_SAMPLES_PER_KEY = 1;

    private final EventEvaluator evaluator;
    private final PipeChain pipes;
    private final EventQuery eventQuery;
    private final SequenceMatcher sequence;
    private final SampleMatcher sample;
    private final StreamClock clock = new StreamClock();
    private long eventMatches;
    private boolean finished;

    public QueryRunner(Query query, EventEvaluator evaluator, Consumer<Match> sink) {
        this(query, evaluator, DEFAULT_MAX_SAMPLES_PER_KEY, sink);
    }

    public QueryRunner(Query query, EventEvaluator evaluator, int maxSamplesPerKey, Consumer<Match> sink) {
        Objects.requireNonNull(query, "query");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.pipes = new PipeChain(query.pipes(), Objects.requireNonNull(sink, "sink"));
        EventQuery event = null;
        SequenceMatcher seq = null;
        SampleMatcher smp = null;
        if (query.body() instanceof EventQuery e) {
            event = e;
        } else if (query.body() instanceof SequenceQuery s) {
            seq = new SequenceMatcher(s, evaluator, pipes);
        } else if (query.body() instanceof SampleQuery s) {
            smp = new SampleMatcher(s, evaluator, maxSamplesPerKey, pipes);
        } else {
            throw new IllegalArgumentException("unknown query body " + query.body());
        }
        this.eventQuery = event;
        this.sequence = seq;
        this.sample = smp;
    }

    /** Runs the query over all the events at once; they are put in stream order first (a stable sort). */
    public static List<Match> run(Query query, Iterable<Event> events, EventEvaluator evaluator) {
        List<Event> ordered = new ArrayList<>();
        events.forEach(ordered::add);
        ordered.sort(EventOrder.COMPARATOR);
        List<Match> out = new ArrayList<>();
        QueryRunner runner = new QueryRunner(query, evaluator, out::add);
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
        clock.next(event);
        if (pipes.saturated()) {
            return;
        }
        if (sequence != null) {
            sequence.accept(event);
        } else if (sample != null) {
            sample.accept(event);
        } else if (evaluator.matches(eventQuery, event)) {
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
