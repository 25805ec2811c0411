package io.eqlwatch.engine;

import static io.eqlwatch.engine.Q.at;
import static io.eqlwatch.engine.Q.event;
import static io.eqlwatch.engine.Q.field;
import static io.eqlwatch.engine.Q.ids;
import static io.eqlwatch.engine.Q.piped;
import static io.eqlwatch.engine.Q.sample;
import static io.eqlwatch.engine.Q.sequence;
import static io.eqlwatch.engine.Q.stage;
import static io.eqlwatch.engine.Q.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.eql.ast.Pipe;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SampleAndPipesTest {

    private static final TestEvaluator EVALUATOR = new TestEvaluator();

    private static List<Match> run(Query query, Event... events) {
        return QueryRunner.run(query, List.of(events), EVALUATOR);
    }

    @Nested
    class Samples {

        private final Query byHost = sample(List.of(field("host")), stage(tag("a")), stage(tag("b")));

        @Test
        void eventsOfAllStagesSharingAKeyFormASampleInAnyTimeOrder() {
            List<Match> matches = run(
                    byHost, event("b1", at(0), "tag", "b", "host", "h1"), event("a1", at(5), "tag", "a", "host", "h1"));
            assertEquals(List.of(List.of("a1", "b1")), ids(matches));
            assertEquals(List.of("h1"), matches.get(0).joinKeys());
        }

        @Test
        void keyMissingAStageGivesNoSample() {
            assertEquals(
                    List.of(),
                    run(
                            byHost,
                            event("a1", at(0), "tag", "a", "host", "h1"),
                            event("b2", at(1), "tag", "b", "host", "h2")));
        }

        @Test
        void oneSamplePerKeyByDefaultInAscendingKeyOrder() {
            List<Match> matches = run(
                    byHost,
                    event("a-z", at(0), "tag", "a", "host", "z"),
                    event("b-z", at(1), "tag", "b", "host", "z"),
                    event("a-m", at(2), "tag", "a", "host", "m"),
                    event("a-m2", at(3), "tag", "a", "host", "m"),
                    event("b-m", at(4), "tag", "b", "host", "m"));
            assertEquals(List.of(List.of("a-m", "b-m"), List.of("a-z", "b-z")), ids(matches));
        }

        @Test
        void maxSamplesPerKeyPicksDistinctEventCombinations() {
            List<Match> out = new ArrayList<>();
            QueryRunner runner = new QueryRunner(byHost, EVALUATOR, 2, out::add);
            runner.accept(event("a1", at(0), "tag", "a", "host", "h"));
            runner.accept(event("a2", at(1), "tag", "a", "host", "h"));
            runner.accept(event("b1", at(2), "tag", "b", "host", "h"));
            runner.finish();
            assertEquals(List.of(List.of("a1", "b1"), List.of("a2", "b1")), ids(out));
        }

        @Test
        void oneEventCannotFillTwoStagesOfASample() {
            Query same = sample(List.of(field("host")), stage(tag("a")), stage(tag("a")));
            assertEquals(List.of(), run(same, event("a1", at(0), "tag", "a", "host", "h")));
            assertEquals(
                    List.of(List.of("a1", "a2")),
                    ids(run(
                            same,
                            event("a1", at(0), "tag", "a", "host", "h"),
                            event("a2", at(1), "tag", "a", "host", "h"))));
        }

        @Test
        void multiValuedKeysSampleEachValue() {
            List<Match> matches = run(
                    byHost,
                    event("a", at(0), "tag", "a", "host", List.of("y", "x")),
                    event("bx", at(1), "tag", "b", "host", "x"),
                    event("by", at(2), "tag", "b", "host", "y"));
            assertEquals(List.of(List.of("a", "bx"), List.of("a", "by")), ids(matches));
        }

        @Test
        void numericKeysSortByValue() {
            List<Match> matches = run(
                    byHost,
                    event("a10", at(0), "tag", "a", "host", 10),
                    event("b10", at(1), "tag", "b", "host", 10),
                    event("a9", at(2), "tag", "a", "host", 9),
                    event("b9", at(3), "tag", "b", "host", 9));
            assertEquals(
                    List.of(List.of(9L), List.of(10L)),
                    matches.stream().map(Match::joinKeys).toList());
        }

        @Test
        void sampleNeedsJoinKeys() {
            Query noKeys = sample(List.of(), stage(tag("a")), stage(tag("b")));
            assertThrows(IllegalArgumentException.class, () -> new QueryRunner(noKeys, EVALUATOR, m -> {}));
        }
    }

    @Nested
    class EventQueries {

        @Test
        void eventQueryReturnsMatchingEventsInStreamOrder() {
            Query q = new Query(tag("x"), List.of());
            List<Match> matches =
                    run(q, event("2", at(2), "tag", "x"), event("1", at(1), "tag", "x"), event("3", at(3), "tag", "y"));
            assertEquals(List.of(List.of("1"), List.of("2")), ids(matches));
            assertEquals(List.of(), matches.get(0).joinKeys());
        }

        @Test
        void headReturnsTheEarliest() {
            Query q = new Query(tag("x"), List.of(new Pipe.Head(2)));
            assertEquals(
                    List.of(List.of("1"), List.of("2")),
                    ids(run(
                            q,
                            event("1", at(1), "tag", "x"),
                            event("2", at(2), "tag", "x"),
                            event("3", at(3), "tag", "x"))));
        }

        @Test
        void tailReturnsTheLatestInAscendingOrder() {
            Query q = new Query(tag("x"), List.of(new Pipe.Tail(2)));
            assertEquals(
                    List.of(List.of("2"), List.of("3")),
                    ids(run(
                            q,
                            event("1", at(1), "tag", "x"),
                            event("2", at(2), "tag", "x"),
                            event("3", at(3), "tag", "x"))));
        }

        @Test
        void pipesApplyInTheOrderWritten() {
            Query tailThenHead = new Query(tag("x"), List.of(new Pipe.Tail(3), new Pipe.Head(1)));
            Query headThenTail = new Query(tag("x"), List.of(new Pipe.Head(3), new Pipe.Tail(1)));
            Event[] events = {
                event("1", at(1), "tag", "x"),
                event("2", at(2), "tag", "x"),
                event("3", at(3), "tag", "x"),
                event("4", at(4), "tag", "x")
            };
            assertEquals(List.of(List.of("2")), ids(run(tailThenHead, events)));
            assertEquals(List.of(List.of("3")), ids(run(headThenTail, events)));
        }
    }

    @Nested
    class SequencePipes {

        private final Query seq = sequence(List.of(field("k")), null, stage(tag("a")), stage(tag("b")));

        private final Event[] events = {
            event("a1", at(0), "tag", "a", "k", 1), event("a2", at(1), "tag", "a", "k", 2),
            event("a3", at(2), "tag", "a", "k", 3), event("b3", at(3), "tag", "b", "k", 3),
            event("b1", at(4), "tag", "b", "k", 1), event("b2", at(5), "tag", "b", "k", 2)
        };

        @Test
        void headTakesTheSequencesThatEndFirst() {
            assertEquals(
                    List.of(List.of("a3", "b3"), List.of("a1", "b1")), ids(run(piped(seq, new Pipe.Head(2)), events)));
        }

        @Test
        void tailTakesTheSequencesThatEndLastInAscendingOrder() {
            assertEquals(
                    List.of(List.of("a1", "b1"), List.of("a2", "b2")), ids(run(piped(seq, new Pipe.Tail(2)), events)));
        }

        @Test
        void runnerSaysWhenHeadIsSatisfied() {
            List<Match> out = new ArrayList<>();
            QueryRunner runner = new QueryRunner(piped(seq, new Pipe.Head(1)), EVALUATOR, out::add);
            runner.accept(events[0]);
            runner.accept(events[1]);
            runner.accept(events[2]);
            assertFalse(runner.satisfied());
            runner.accept(events[3]);
            assertTrue(runner.satisfied());
            runner.accept(events[4]);
            RunCounters counters = runner.finish();
            assertEquals(1, out.size());
            assertEquals(5, counters.eventsSeen());
            assertEquals(1, counters.matchesReturned());
        }

        @Test
        void headZeroReturnsNothing() {
            assertEquals(List.of(), run(piped(seq, new Pipe.Head(0)), events));
        }
    }
}
