package io.eqlwatch.engine;

import static io.eqlwatch.engine.Q.and;
import static io.eqlwatch.engine.Q.at;
import static io.eqlwatch.engine.Q.eq;
import static io.eqlwatch.engine.Q.event;
import static io.eqlwatch.engine.Q.field;
import static io.eqlwatch.engine.Q.ids;
import static io.eqlwatch.engine.Q.optional;
import static io.eqlwatch.engine.Q.runs;
import static io.eqlwatch.engine.Q.sequence;
import static io.eqlwatch.engine.Q.sequenceUntil;
import static io.eqlwatch.engine.Q.stage;
import static io.eqlwatch.engine.Q.tag;
import static io.eqlwatch.engine.Q.where;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SequenceMatcherTest {

    private static final TestEvaluator EVALUATOR = new TestEvaluator();

    /**
     * The shape of the SMB lateral tool transfer rule: sequence by host.id with maxspan=30s, a
     * network stage and a file stage, each by process.entity_id.
     */
    private static final Query RULE = sequence(
            List.of(field("host.id")),
            Duration.ofSeconds(30),
            stage(
                    where("network", and(eq("event.type", "start"), eq("destination.port", 445L))),
                    field("process.entity_id")),
            stage(where("file", eq("event.type", "creation")), field("process.entity_id")));

    static Event network(String id, double second, String host, String entity) {
        return event(
                id,
                at(second),
                "event.category",
                "network",
                "event.type",
                "start",
                "destination.port",
                445,
                "host.id",
                host,
                "process.entity_id",
                entity);
    }

    static Event file(String id, double second, String host, String entity) {
        return event(
                id,
                at(second),
                "event.category",
                "file",
                "event.type",
                "creation",
                "host.id",
                host,
                "process.entity_id",
                entity);
    }

    static List<Match> run(Query query, Event... events) {
        return QueryRunner.run(query, Arrays.asList(events), EVALUATOR);
    }

    @Nested
    class RuleShape {

        @Test
        void networkThenFileOnSameHostAndProcessMatches() {
            List<Match> matches = run(RULE, network("n1", 0, "h1", "p1"), file("f1", 5, "h1", "p1"));
            assertEquals(List.of(List.of("n1", "f1")), ids(matches));
            assertEquals(List.of("h1", "p1"), matches.get(0).joinKeys());
            assertEquals(List.of(), matches.get(0).missingStages());
        }

        @Test
        void maxspanOfExactlyThirtySecondsMatches() {
            assertEquals(
                    1,
                    run(RULE, network("n1", 0, "h1", "p1"), file("f1", 30, "h1", "p1"))
                            .size());
        }

        @Test
        void oneMillisecondOverMaxspanDoesNotMatch() {
            assertEquals(List.of(), run(RULE, network("n1", 0, "h1", "p1"), file("f1", 30.001, "h1", "p1")));
        }

        @Test
        void maxspanHoldsAcrossASecondBoundaryWhereTheLaterEventHasFewerNanoseconds() {
            // 29.9 s apart, though the later event's second count is 30 more than the first's.
            assertEquals(
                    1,
                    run(RULE, network("n1", 0.5, "h1", "p1"), file("f1", 30.4, "h1", "p1"))
                            .size());
            // 30.1 s apart: over, though the later event's nanoseconds are fewer than the first's.
            assertEquals(List.of(), run(RULE, network("n1", 0.9, "h1", "p1"), file("f1", 31.0, "h1", "p1")));
        }

        @Test
        void fileBeforeNetworkDoesNotMatch() {
            assertEquals(List.of(), run(RULE, file("f1", 0, "h1", "p1"), network("n1", 5, "h1", "p1")));
        }

        @Test
        void anotherProcessEntityIdDoesNotMatch() {
            assertEquals(List.of(), run(RULE, network("n1", 0, "h1", "p1"), file("f1", 5, "h1", "p2")));
        }

        @Test
        void anotherHostDoesNotMatch() {
            assertEquals(List.of(), run(RULE, network("n1", 0, "h1", "p1"), file("f1", 5, "h2", "p1")));
        }

        @Test
        void nonMatchingStageConditionDoesNotMatch() {
            Event port139 = event(
                    "n1",
                    at(0),
                    "event.category",
                    "network",
                    "event.type",
                    "start",
                    "destination.port",
                    139,
                    "host.id",
                    "h1",
                    "process.entity_id",
                    "p1");
            assertEquals(List.of(), run(RULE, port139, file("f1", 5, "h1", "p1")));
        }

        @Test
        void newerFirstStageMatchReplacesThePendingOne() {
            // n2 replaces n1: the file event 35 s after n1 but 25 s after n2 completes with n2.
            List<Match> matches =
                    run(RULE, network("n1", 0, "h1", "p1"), network("n2", 10, "h1", "p1"), file("f1", 35, "h1", "p1"));
            assertEquals(List.of(List.of("n2", "f1")), ids(matches));
        }

        @Test
        void replacedSequenceIsGoneEvenWithoutMaxspan() {
            Query unbounded = sequence(
                    List.of(field("host.id")),
                    null,
                    stage(where("network", eq("event.type", "start")), field("process.entity_id")),
                    stage(where("file", eq("event.type", "creation")), field("process.entity_id")));
            List<Match> matches = run(
                    unbounded,
                    network("n1", 0, "h1", "p1"),
                    network("n2", 10, "h1", "p1"),
                    file("f1", 20, "h1", "p1"),
                    file("f2", 30, "h1", "p1"));
            assertEquals(List.of(List.of("n2", "f1")), ids(matches));
        }

        @Test
        void stalePendingSequenceRejectedByMaxspanStillConsumesNothingLater() {
            // f1 takes n1 (the latest pending) and rejects it for maxspan; n1 is then gone for f2 too.
            List<Match> matches =
                    run(RULE, network("n1", 0, "h1", "p1"), file("f1", 31, "h1", "p1"), file("f2", 32, "h1", "p1"));
            assertEquals(List.of(), matches);
        }

        @Test
        void interleavedHostsEachMatchTheirOwnEvents() {
            List<Match> matches = run(
                    RULE,
                    network("a-n", 0, "hA", "p1"),
                    network("b-n", 1, "hB", "p1"),
                    file("b-f", 2, "hB", "p1"),
                    file("a-f", 3, "hA", "p1"));
            assertEquals(List.of(List.of("b-n", "b-f"), List.of("a-n", "a-f")), ids(matches));
            assertEquals(List.of("hB", "p1"), matches.get(0).joinKeys());
            assertEquals(List.of("hA", "p1"), matches.get(1).joinKeys());
        }

        @Test
        void eventCompletesAtMostOneSequenceAndCompletedEventsAreNotReused() {
            List<Match> matches =
                    run(RULE, network("n1", 0, "h1", "p1"), file("f1", 1, "h1", "p1"), file("f2", 2, "h1", "p1"));
            assertEquals(List.of(List.of("n1", "f1")), ids(matches));
        }

        @Test
        void eventMissingAJoinKeyTakesNoPart() {
            Event noEntity = event(
                    "n1",
                    at(0),
                    "event.category",
                    "network",
                    "event.type",
                    "start",
                    "destination.port",
                    445,
                    "host.id",
                    "h1");
            Event noHost =
                    event("f0", at(1), "event.category", "file", "event.type", "creation", "process.entity_id", "p1");
            assertEquals(List.of(), run(RULE, noEntity, file("f1", 1, "h1", "p1")));
            assertEquals(List.of(), run(RULE, network("n1", 0, "h1", "p1"), noHost));
        }

        @Test
        void numericJoinKeysOfDifferentJavaTypesJoin() {
            Query byPid = sequence(List.of(field("pid")), null, stage(tag("a")), stage(tag("b")));
            List<Match> matches =
                    run(byPid, event("a", at(0), "tag", "a", "pid", 4), event("b", at(1), "tag", "b", "pid", 4L));
            assertEquals(List.of(List.of("a", "b")), ids(matches));
            assertEquals(List.of(4L), matches.get(0).joinKeys());
        }
    }

    @Nested
    class JoinKeys {

        private final Query byHost = sequence(List.of(field("host")), null, stage(tag("a")), stage(tag("b")));

        @Test
        void eachValueOfAMultiValuedKeyIsItsOwnKey() {
            List<Match> matches = run(
                    byHost,
                    event("a", at(0), "tag", "a", "host", List.of("x", "y")),
                    event("bx", at(1), "tag", "b", "host", "x"),
                    event("by", at(2), "tag", "b", "host", "y"));
            assertEquals(List.of(List.of("a", "bx"), List.of("a", "by")), ids(matches));
            assertEquals(List.of("x"), matches.get(0).joinKeys());
            assertEquals(List.of("y"), matches.get(1).joinKeys());
        }

        @Test
        void severalMultiValuedKeysGiveTheirCartesianProduct() {
            Query twoKeys = sequence(List.of(field("host"), field("user")), null, stage(tag("a")), stage(tag("b")));
            List<Match> matches = run(
                    twoKeys,
                    event("a", at(0), "tag", "a", "host", List.of("h1", "h2"), "user", List.of("u1", "u2")),
                    event("b11", at(1), "tag", "b", "host", "h1", "user", "u1"),
                    event("b12", at(2), "tag", "b", "host", "h1", "user", "u2"),
                    event("b21", at(3), "tag", "b", "host", "h2", "user", "u1"),
                    event("b22", at(4), "tag", "b", "host", "h2", "user", "u2"));
            assertEquals(4, matches.size());
            assertEquals(
                    List.of(List.of("h1", "u1"), List.of("h1", "u2"), List.of("h2", "u1"), List.of("h2", "u2")),
                    matches.stream().map(Match::joinKeys).toList());
        }

        @Test
        void oneEventCompletesASequenceForEachOfItsKeys() {
            // Since multi-valued join keys (Elasticsearch 8.6), one event completes a sequence per key value:
            // Elasticsearch's test_extra.toml, sequenceWithMultivalue_ManyToMany, answers [1, 23], [4, 23], [4, 23]
            // for one last event (23) holding three tags. (Before, one event completed one sequence at most.)
            List<Match> matches = run(
                    byHost,
                    event("ax", at(0), "tag", "a", "host", "x"),
                    event("ay", at(1), "tag", "a", "host", "y"),
                    event("b", at(2), "tag", "b", "host", List.of("x", "y")),
                    event("b2", at(3), "tag", "b", "host", "y"));
            assertEquals(List.of(List.of("ax", "b"), List.of("ay", "b")), ids(matches));
        }

        @Test
        void theSameTwoEventsFormASequencePerCombinationOfKeyValues() {
            // test_extra.toml, sequenceWithMultivalue_CartesianProduct: events 4 and 23 share two tags and two
            // items; Elasticsearch answers four sequences of [4, 23], the first key varying slowest.
            Query twoKeys = sequence(List.of(field("tags"), field("items")), null, stage(tag("a")), stage(tag("b")));
            List<Match> matches = run(
                    twoKeys,
                    event(
                            "4",
                            at(0),
                            "tag",
                            "a",
                            "tags",
                            List.of("tag3", "tag4"),
                            "items",
                            List.of("item1", "item2", "item3")),
                    event(
                            "23",
                            at(1),
                            "tag",
                            "b",
                            "tags",
                            List.of("tag1", "tag3", "tag4"),
                            "items",
                            List.of("item0", "item1", "item2")));
            assertEquals(
                    List.of(List.of("4", "23"), List.of("4", "23"), List.of("4", "23"), List.of("4", "23")),
                    ids(matches));
            assertEquals(
                    List.of(
                            List.of("tag3", "item1"),
                            List.of("tag3", "item2"),
                            List.of("tag4", "item1"),
                            List.of("tag4", "item2")),
                    matches.stream().map(Match::joinKeys).toList());
        }

        @Test
        void duplicateValuesInAMultiValuedKeyCountOnce() {
            List<Match> matches = run(
                    byHost,
                    event("a", at(0), "tag", "a", "host", List.of("x", "x")),
                    event("b", at(1), "tag", "b", "host", "x"),
                    event("b2", at(2), "tag", "b", "host", "x"));
            assertEquals(List.of(List.of("a", "b")), ids(matches));
        }

        @Test
        void absentOptionalKeyJoinsAsNull() {
            Query opt = sequence(List.of(optional("user")), null, stage(tag("a")), stage(tag("b")));
            List<Match> matches = run(opt, event("a", at(0), "tag", "a"), event("b", at(1), "tag", "b"));
            assertEquals(List.of(List.of("a", "b")), ids(matches));
            assertEquals(Arrays.asList((Object) null), matches.get(0).joinKeys());
        }

        @Test
        void nullOptionalKeyDoesNotJoinAPresentValue() {
            Query opt = sequence(List.of(optional("user")), null, stage(tag("a")), stage(tag("b")));
            assertEquals(
                    List.of(), run(opt, event("a", at(0), "tag", "a"), event("b", at(1), "tag", "b", "user", "u")));
        }

        @Test
        void explicitNullValueOfARequiredKeyIsMissing() {
            java.util.Map<String, Object> source = new java.util.HashMap<>();
            source.put("tag", "a");
            source.put("host", null);
            Event a = new Event("a", "i", at(0), null, source);
            assertEquals(List.of(), run(byHost, a, event("b", at(1), "tag", "b", "host", "x")));
        }

        @Test
        void stageKeysJoinByPositionAcrossDifferentFieldNames() {
            Query parentChild =
                    sequence(List.of(), null, stage(tag("a"), field("pid")), stage(tag("b"), field("ppid")));
            List<Match> matches =
                    run(parentChild, event("a", at(0), "tag", "a", "pid", 7), event("b", at(1), "tag", "b", "ppid", 7));
            assertEquals(List.of(List.of("a", "b")), ids(matches));
            assertEquals(List.of(7L), matches.get(0).joinKeys());
        }
    }

    @Nested
    class Stages {

        @Test
        void eventMatchingSeveralStagesNeverExtendsItself() {
            // The same stage twice, as in Elasticsearch's missing-events tests: 1,2 and 2,3 (each event
            // may end one sequence and start the next), never 1,1.
            Query twice = sequence(List.of(), Duration.ofSeconds(10), stage(tag("n")), stage(tag("n")));
            List<Match> matches = run(
                    twice, event("1", at(0), "tag", "n"), event("2", at(1), "tag", "n"), event("3", at(2), "tag", "n"));
            assertEquals(List.of(List.of("1", "2"), List.of("2", "3")), ids(matches));
        }

        @Test
        void threeStagesAdvanceThroughEachSlot() {
            Query three = sequence(List.of(field("k")), null, stage(tag("a")), stage(tag("b")), stage(tag("c")));
            List<Match> matches = run(
                    three,
                    event("a1", at(0), "tag", "a", "k", 1),
                    event("b1", at(1), "tag", "b", "k", 1),
                    event("a2", at(2), "tag", "a", "k", 1),
                    event("c1", at(3), "tag", "c", "k", 1),
                    event("b2", at(4), "tag", "b", "k", 1),
                    event("c2", at(5), "tag", "c", "k", 1));
            assertEquals(List.of(List.of("a1", "b1", "c1"), List.of("a2", "b2", "c2")), ids(matches));
        }

        @Test
        void runsRepeatAStage() {
            Query runs = sequence(List.of(field("k")), null, runs(tag("a"), 3), stage(tag("b")));
            List<Match> matches = run(
                    runs,
                    event("a1", at(0), "tag", "a", "k", 1),
                    event("a2", at(1), "tag", "a", "k", 1),
                    event("b0", at(2), "tag", "b", "k", 1),
                    event("a3", at(3), "tag", "a", "k", 1),
                    event("a4", at(4), "tag", "a", "k", 1),
                    event("b1", at(5), "tag", "b", "k", 1));
            // a1 a2 then b0: only two runs, no match. a3 a4 continue from a2 (runs are consecutive stage matches).
            assertEquals(List.of(List.of("a2", "a3", "a4", "b1")), ids(matches));
        }

        @Test
        void aSubSecondMaxspanIsExactToTheNanosecond() {
            Query pair = sequence(List.of(), Duration.ofMillis(500), stage(tag("a")), stage(tag("b")));
            Instant first = at(0.9);
            assertEquals(
                    1,
                    run(pair, event("a", first, "tag", "a"), event("b", first.plusMillis(500), "tag", "b"))
                            .size());
            assertEquals(
                    List.of(),
                    run(
                            pair,
                            event("a", first, "tag", "a"),
                            event("b", first.plusMillis(500).plusNanos(1), "tag", "b")));
        }

        @Test
        void maxspanIsMeasuredFromTheFirstEventNotThePrevious() {
            Query three =
                    sequence(List.of(), Duration.ofSeconds(10), stage(tag("a")), stage(tag("b")), stage(tag("c")));
            assertEquals(
                    List.of(),
                    run(
                            three,
                            event("a", at(0), "tag", "a"),
                            event("b", at(6), "tag", "b"),
                            event("c", at(10.5), "tag", "c")));
            assertEquals(
                    1,
                    run(
                                    three,
                                    event("a", at(0), "tag", "a"),
                                    event("b", at(6), "tag", "b"),
                                    event("c", at(10), "tag", "c"))
                            .size());
        }
    }

    @Nested
    class Until {

        private final Query untilQuery =
                sequenceUntil(List.of(field("k")), null, stage(tag("stop")), stage(tag("a")), stage(tag("b")));

        @Test
        void untilCancelsPendingSequencesOfItsKey() {
            assertEquals(
                    List.of(),
                    run(
                            untilQuery,
                            event("a", at(0), "tag", "a", "k", 1),
                            event("u", at(1), "tag", "stop", "k", 1),
                            event("b", at(2), "tag", "b", "k", 1)));
        }

        @Test
        void untilOfAnotherKeyDoesNotCancel() {
            assertEquals(
                    1,
                    run(
                                    untilQuery,
                                    event("a", at(0), "tag", "a", "k", 1),
                                    event("u", at(1), "tag", "stop", "k", 2),
                                    event("b", at(2), "tag", "b", "k", 1))
                            .size());
        }

        @Test
        void sequenceStartedAfterUntilMatches() {
            assertEquals(
                    List.of(List.of("a2", "b")),
                    ids(run(
                            untilQuery,
                            event("a", at(0), "tag", "a", "k", 1),
                            event("u", at(1), "tag", "stop", "k", 1),
                            event("a2", at(2), "tag", "a", "k", 1),
                            event("b", at(3), "tag", "b", "k", 1))));
        }

        @Test
        void untilAfterCompletionChangesNothing() {
            assertEquals(
                    1,
                    run(
                                    untilQuery,
                                    event("a", at(0), "tag", "a", "k", 1),
                                    event("b", at(1), "tag", "b", "k", 1),
                                    event("u", at(2), "tag", "stop", "k", 1))
                            .size());
        }

        @Test
        void eventMatchingAStageAndUntilCompletesButCancelsWhatItStarts() {
            // Elasticsearch checks until strictly before the completing event, and treats an until
            // event that is also a sequence's latest event as between (inclusive bounds).
            Query q = sequenceUntil(List.of(field("k")), null, stage(tag("x")), stage(tag("a")), stage(tag("x")));
            List<Match> matches = run(
                    q,
                    event("a", at(0), "tag", "a", "k", 1),
                    event("x1", at(1), "tag", "x", "k", 1),
                    event("a2", at(2), "tag", "a", "k", 1),
                    event("x2", at(3), "tag", "x", "k", 1));
            assertEquals(List.of(List.of("a", "x1"), List.of("a2", "x2")), ids(matches));
        }
    }

    @Nested
    class Ordering {

        @Test
        void matchesComeOrderedByTheirLastEvent() {
            Query q = sequence(List.of(field("k")), null, stage(tag("a")), stage(tag("b")));
            List<Match> matches = run(
                    q,
                    event("a1", at(0), "tag", "a", "k", 1),
                    event("a2", at(1), "tag", "a", "k", 2),
                    event("b2", at(2), "tag", "b", "k", 2),
                    event("b1", at(3), "tag", "b", "k", 1));
            assertEquals(List.of(List.of("a2", "b2"), List.of("a1", "b1")), ids(matches));
        }

        @Test
        void equalTimestampsWithoutTiebreakerKeepInputOrder() {
            Query q = sequence(List.of(), null, stage(tag("a")), stage(tag("b")));
            assertEquals(
                    1,
                    run(q, event("a", at(0), "tag", "a"), event("b", at(0), "tag", "b"))
                            .size());
            assertEquals(
                    0,
                    run(q, event("b", at(0), "tag", "b"), event("a", at(0), "tag", "a"))
                            .size());
        }

        @Test
        void tiebreakerOrdersEqualTimestamps() {
            Query q = sequence(List.of(), null, stage(tag("a")), stage(tag("b")));
            Event b = Q.eventWithTiebreaker("b", at(0), 2L, "tag", "b");
            Event a = Q.eventWithTiebreaker("a", at(0), 1L, "tag", "a");
            assertEquals(List.of(List.of("a", "b")), ids(run(q, b, a)));
        }

        @Test
        void eventWithoutTiebreakerComesAfterOnesWithIt() {
            Query q = sequence(List.of(), null, stage(tag("a")), stage(tag("b")));
            Event b = Q.eventWithTiebreaker("b", at(0), null, "tag", "b");
            Event a = Q.eventWithTiebreaker("a", at(0), 99L, "tag", "a");
            assertEquals(List.of(List.of("a", "b")), ids(run(q, b, a)));
        }

        @Test
        void streamingRefusesEventsOutOfOrder() {
            QueryRunner runner =
                    new QueryRunner(sequence(List.of(), null, stage(tag("a")), stage(tag("b"))), EVALUATOR, m -> {});
            runner.accept(event("late", at(5), "tag", "a"));
            IllegalArgumentException error = assertThrows(
                    IllegalArgumentException.class, () -> runner.accept(event("early", at(1), "tag", "b")));
            assertTrue(error.getMessage().contains("'early'"), error.getMessage());
            assertTrue(error.getMessage().contains("'late'"), error.getMessage());
        }
    }

    @Nested
    class Memory {

        @Test
        void pendingSequencesStayBoundedByMaxspanNotByEventCount() {
            Query q = sequence(List.of(field("k")), Duration.ofSeconds(30), stage(tag("a")), stage(tag("b")));
            List<Match> out = new ArrayList<>();
            QueryRunner runner = new QueryRunner(q, EVALUATOR, out::add);
            // 200,000 stage-1 events, each of a new key, one every 100 ms: at most ~300 can be open.
            for (int i = 0; i < 200_000; i++) {
                runner.accept(event("a" + i, at(i * 0.1), "tag", "a", "k", i));
            }
            RunCounters counters = runner.finish();
            assertEquals(200_000, counters.eventsSeen());
            assertTrue(counters.peakPendingSequences() <= 700, "peak " + counters.peakPendingSequences());
            assertTrue(counters.pendingSequences() <= 700, "now " + counters.pendingSequences());
        }

        @Test
        void countersReportWhatHappened() {
            Query q = sequence(List.of(field("k")), null, stage(tag("a")), stage(tag("b")));
            QueryRunner runner = new QueryRunner(q, EVALUATOR, m -> {});
            runner.accept(event("a1", at(0), "tag", "a", "k", 1));
            runner.accept(event("a2", at(1), "tag", "a", "k", 2));
            assertEquals(2, runner.counters().pendingSequences());
            runner.accept(event("b1", at(2), "tag", "b", "k", 1));
            RunCounters counters = runner.finish();
            assertEquals(new RunCounters(3, 1, 2, 1, 1), counters);
        }
    }

    @Nested
    class Validation {

        @Test
        void validatesStageKeyCounts() {
            Query bad = sequence(List.of(), null, stage(tag("a"), field("x")), stage(tag("b")));
            IllegalArgumentException error =
                    assertThrows(IllegalArgumentException.class, () -> new QueryRunner(bad, EVALUATOR, m -> {}));
            assertTrue(error.getMessage().contains("same number of join keys"), error.getMessage());
        }
    }
}
