package io.eqlwatch.engine;

import io.eqlwatch.eql.ast.ComparisonOperator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Pipe;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for hand-made ASTs and events in the engine tests. */
final class Q {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private Q() {}

    static Expr.Field field(String name) {
        return new Expr.Field(name, false);
    }

    static Expr.Field optional(String name) {
        return new Expr.Field(name, true);
    }

    static Expr eq(String field, Object value) {
        return new Expr.Comparison(ComparisonOperator.EQ, field(field), new Expr.Literal(value));
    }

    static Expr and(Expr left, Expr right) {
        return new Expr.And(left, right);
    }

    static EventQuery where(String category, Expr condition) {
        return new EventQuery(category, condition);
    }

    /** {@code any where tag == "<tag>"}: the tests' usual stage. */
    static EventQuery tag(String tag) {
        return new EventQuery(null, eq("tag", tag));
    }

    static SequenceStage stage(EventQuery query, Expr... by) {
        return new SequenceStage(query, Arrays.asList(by), 1, false);
    }

    static SequenceStage runs(EventQuery query, int runs, Expr... by) {
        return new SequenceStage(query, Arrays.asList(by), runs, false);
    }

    static SequenceStage missing(EventQuery query, Expr... by) {
        return new SequenceStage(query, Arrays.asList(by), 1, true);
    }

    static Query sequence(List<Expr> by, Duration maxspan, SequenceStage... stages) {
        return new Query(new SequenceQuery(by, maxspan, List.of(stages), null), List.of());
    }

    static Query sequenceUntil(List<Expr> by, Duration maxspan, SequenceStage until, SequenceStage... stages) {
        return new Query(new SequenceQuery(by, maxspan, List.of(stages), until), List.of());
    }

    static Query sample(List<Expr> by, SequenceStage... stages) {
        return new Query(new SampleQuery(by, List.of(stages)), List.of());
    }

    static Query piped(Query query, Pipe... pipes) {
        return new Query(query.body(), List.of(pipes));
    }

    static Event event(String id, Instant at, Object... keyValues) {
        return eventWithTiebreaker(id, at, null, keyValues);
    }

    static Event eventWithTiebreaker(String id, Instant at, Comparable<?> tiebreaker, Object... keyValues) {
        Map<String, Object> source = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            source.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Event(id, "test-index", at, tiebreaker, source);
    }

    /** Ids of each match's events, for compact assertions. */
    static List<List<String>> ids(List<Match> matches) {
        List<List<String>> out = new ArrayList<>();
        for (Match match : matches) {
            out.add(match.events().stream().map(Event::id).toList());
        }
        return out;
    }

    static Instant at(double seconds) {
        return T0.plusNanos(Math.round(seconds * 1_000_000_000L));
    }
}
