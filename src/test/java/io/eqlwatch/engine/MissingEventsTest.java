package io.eqlwatch.engine;

import static io.eqlwatch.engine.Q.field;
import static io.eqlwatch.engine.Q.missing;
import static io.eqlwatch.engine.Q.sequence;
import static io.eqlwatch.engine.Q.stage;
import static io.eqlwatch.engine.Q.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eqlwatch.eql.ast.Pipe;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Missing-event stages {@code ![...]}. The data sets and expected results are those of
 * Elasticsearch's own missing-events spec (x-pack/plugin/eql/qa/common test_missing_events.toml and
 * data/missing-events.data), rewritten here; "-" marks the placeholder Elasticsearch returns for a
 * missing stage.
 */
class MissingEventsTest {

    private static final TestEvaluator EVALUATOR = new TestEvaluator();

    private static Event ms(long epochMillis, String tag, long sequence) {
        return Q.event(Long.toString(sequence), Instant.ofEpochMilli(epochMillis), "tag", tag, "sequence", sequence);
    }

    private static Event at(String iso, String tag, long sequence) {
        return Q.event(Long.toString(sequence), Instant.parse(iso), "tag", tag, "sequence", sequence);
    }

    /** test1: normal at 1, 2, 4 ms; "missing" at 3 ms. */
    static final List<Event> TEST1 =
            List.of(ms(1, "normal", 1), ms(2, "normal", 2), ms(3, "missing", 3), ms(4, "normal", 4));

    static final List<Event> TEST2 = List.of(
            at("2022-05-04T12:00:00.000Z", "normal", 1),
            at("2022-05-04T12:00:00.001Z", "normal", 2),
            at("2022-05-04T12:00:00.002Z", "missing", 3),
            at("2022-05-04T12:00:00.003Z", "normal", 4),
            at("2022-05-04T12:00:00.004Z", "normal", 5),
            at("2022-05-04T12:00:00.005Z", "missing", 6),
            at("2022-05-04T12:02:00.006Z", "missing2", 7),
            at("2022-05-04T12:03:00.006Z", "missing2", 8));

    static final List<Event> TEST3 = List.of(
            at("2022-05-04T12:00:00.000Z", "missing", 1),
            at("2022-05-04T12:10:00.001Z", "normal", 2),
            at("2022-05-04T12:20:00.001Z", "missing", 3),
            at("2022-05-04T12:21:00.001Z", "normal", 4),
            at("2022-05-04T12:29:00.001Z", "normal", 5),
            at("2022-05-04T12:31:00.001Z", "normal", 6));

    static final List<Event> TEST4;

    static {
        String[] tags = {"A", "B", "M1", "B", "C", "M2", "D", "M1", "C", "B", "C", "D", "A", "B", "M3", "C", "D", "M4"};
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < tags.length; i++) {
            events.add(ms(i + 1, tags[i], i + 1));
        }
        TEST4 = List.copyOf(events);
    }

    private static Query seq(Duration maxspan, SequenceStage... stages) {
        return sequence(List.of(), maxspan, stages);
    }

    private static List<String> run(Query query, List<Event> events) {
        List<String> out = new ArrayList<>();
        for (Match match : QueryRunner.run(query, events, EVALUATOR)) {
            for (Event event : match.stageEvents()) {
                out.add(event == null ? "-" : event.id());
            }
        }
        return out;
    }

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Nested
    class Between {

        @Test
        void missingInBetweenNoMatches() {
            Query q = seq(SECOND, stage(tag("normal")), missing(tag("nonexisting")), stage(tag("normal")));
            assertEquals(List.of("1", "-", "2", "2", "-", "4"), run(q, TEST1));
        }

        @Test
        void missingInBetweenHead() {
            Query q = Q.piped(
                    seq(SECOND, stage(tag("normal")), missing(tag("nonexisting")), stage(tag("normal"))),
                    new Pipe.Head(1));
            assertEquals(List.of("1", "-", "2"), run(q, TEST1));
        }

        @Test
        void missingInBetweenTail() {
            Query q = Q.piped(
                    seq(SECOND, stage(tag("normal")), missing(tag("nonexisting")), stage(tag("normal"))),
                    new Pipe.Tail(1));
            assertEquals(List.of("2", "-", "4"), run(q, TEST1));
        }

        @Test
        void missingEventBetweenDiscardsTheSequence() {
            Query q = seq(SECOND, stage(tag("normal")), missing(tag("missing")), stage(tag("normal")));
            assertEquals(List.of("1", "-", "2"), run(q, TEST1));
        }

        @Test
        void skipFirstMatchAndPickSecondCandidate() {
            Query q = seq(
                    SECOND, stage(tag("normal")), stage(tag("normal")), missing(tag("missing")), stage(tag("normal")));
            assertEquals(List.of("2", "4", "-", "5"), run(q, TEST2));
        }

        @Test
        void missingEventAtTheSameTimestampAsANeighbourIsNotBetween() {
            List<Event> events = List.of(ms(10, "a", 1), ms(10, "m", 2), ms(20, "m", 3), ms(20, "b", 4));
            Query q = seq(SECOND, stage(tag("a")), missing(tag("m")), stage(tag("b")));
            assertEquals(List.of("1", "-", "4"), run(q, events));
        }
    }

    @Nested
    class LeadingAndTrailing {

        @Test
        void positivePlusMissing() {
            Query q = seq(SECOND, stage(tag("normal")), missing(tag("missing")));
            assertEquals(List.of("4", "-"), run(q, TEST1));
        }

        @Test
        void leadingSimple() {
            Query q = seq(Duration.ofMinutes(3), missing(tag("missing")), stage(tag("normal")));
            assertEquals(List.of("-", "2", "-", "5", "-", "6"), run(q, TEST3));
        }

        @Test
        void leadingAndTrailingExcludedWithinNineteenMinutes() {
            Query q =
                    seq(Duration.ofMinutes(19), missing(tag("missing")), stage(tag("normal")), missing(tag("missing")));
            assertEquals(List.of("-", "2", "-", "-", "4", "-", "-", "5", "-", "-", "6", "-"), run(q, TEST3));
        }

        @Test
        void leadingAndTrailingExcludedWithinTwentyOneMinutes() {
            Query q =
                    seq(Duration.ofMinutes(21), missing(tag("missing")), stage(tag("normal")), missing(tag("missing")));
            assertEquals(List.of("-", "4", "-", "-", "5", "-", "-", "6", "-"), run(q, TEST3));
        }

        @Test
        void trailingMissingEventExactlyAtMaxspanStillDiscards() {
            // firstTrailing - first event = maxspan is not "bigger than maxspan".
            List<Event> events = List.of(ms(0, "a", 1), ms(1000, "m", 2));
            assertEquals(List.of(), run(seq(SECOND, stage(tag("a")), missing(tag("m"))), events));
            List<Event> later = List.of(ms(0, "a", 1), ms(1001, "m", 2));
            assertEquals(List.of("1", "-"), run(seq(SECOND, stage(tag("a")), missing(tag("m"))), later));
        }

        @Test
        void trailingDecisionWaitsButKeepsResultOrder() {
            // "a1" waits for a trailing decision while "b" completes; output stays ordered by last event.
            Query q = Q.sequence(List.of(field("k")), SECOND, stage(tag("a")), missing(tag("m")));
            List<Event> events = List.of(
                    Q.event("a1", Instant.ofEpochMilli(0), "tag", "a", "k", 1),
                    Q.event("a2", Instant.ofEpochMilli(10), "tag", "a", "k", 2),
                    Q.event("m2", Instant.ofEpochMilli(20), "tag", "m", "k", 2),
                    Q.event("a3", Instant.ofEpochMilli(5000), "tag", "a", "k", 3));
            assertEquals(List.of("a1", "-", "a3", "-"), run(q, events));
        }

        @Test
        void withoutMaxspanAnyTrailingMissingEventDiscards() {
            List<Event> events = List.of(ms(0, "a", 1), ms(100_000_000, "m", 2), ms(100_000_001, "a", 3));
            assertEquals(List.of("3", "-"), run(seq(null, stage(tag("a")), missing(tag("m"))), events));
        }
    }

    @Nested
    class Multiple {

        @Test
        void multipleMissing1() {
            Query q = seq(
                    SECOND,
                    stage(tag("A")),
                    stage(tag("B")),
                    missing(tag("M1")),
                    stage(tag("C")),
                    missing(tag("M2")),
                    stage(tag("D")));
            assertEquals(List.of("13", "14", "-", "16", "-", "17"), run(q, TEST4));
        }

        @Test
        void multipleMissing2() {
            Query q =
                    seq(SECOND, stage(tag("A")), stage(tag("B")), missing(tag("M1")), stage(tag("C")), stage(tag("D")));
            assertEquals(List.of("13", "14", "-", "16", "17"), run(q, TEST4));
        }

        @Test
        void multipleMissing3() {
            Query q =
                    seq(SECOND, stage(tag("A")), stage(tag("B")), stage(tag("C")), missing(tag("M2")), stage(tag("D")));
            assertEquals(List.of("13", "14", "16", "-", "17"), run(q, TEST4));
        }

        @Test
        void multipleMissing4() {
            Query q = seq(
                    SECOND,
                    stage(tag("A")),
                    stage(tag("B")),
                    missing(tag("M1")),
                    stage(tag("C")),
                    missing(tag("M2")),
                    stage(tag("D")),
                    missing(tag("M4")));
            assertEquals(List.of(), run(q, TEST4));
        }

        @Test
        void multipleMissing5() {
            Query q = seq(
                    SECOND,
                    stage(tag("A")),
                    stage(tag("B")),
                    missing(tag("none")),
                    stage(tag("C")),
                    missing(tag("none")),
                    stage(tag("D")));
            assertEquals(List.of("1", "2", "-", "5", "-", "7", "13", "14", "-", "16", "-", "17"), run(q, TEST4));
        }

        @Test
        void multipleMissing6() {
            Query q = seq(
                    SECOND,
                    stage(tag("A")),
                    stage(tag("B")),
                    stage(tag("C")),
                    missing(tag("M2")),
                    stage(tag("D")),
                    missing(tag("none")));
            assertEquals(List.of("13", "14", "16", "-", "17", "-"), run(q, TEST4));
        }

        @Test
        void multipleMissing7() {
            Query q = seq(
                    SECOND,
                    missing(tag("none")),
                    stage(tag("A")),
                    stage(tag("B")),
                    stage(tag("C")),
                    missing(tag("M2")),
                    stage(tag("D")));
            assertEquals(List.of("-", "13", "14", "16", "-", "17"), run(q, TEST4));
        }

        @Test
        void missingStageWithRunsGivesOnePlaceholderPerRun() {
            Query q = seq(SECOND, stage(tag("A")), new SequenceStage(tag("none"), List.of(), 2, true), stage(tag("B")));
            assertEquals(List.of("1", "-", "-", "2", "13", "-", "-", "14"), run(q, TEST4));
        }
    }

    @Nested
    class Keys {

        @Test
        void missingEventOfAnotherKeyDoesNotDiscard() {
            Query q = Q.sequence(List.of(field("k")), SECOND, stage(tag("a")), missing(tag("m")), stage(tag("b")));
            List<Event> events = List.of(
                    Q.event("a", Instant.ofEpochMilli(0), "tag", "a", "k", 1),
                    Q.event("m", Instant.ofEpochMilli(1), "tag", "m", "k", 2),
                    Q.event("b", Instant.ofEpochMilli(2), "tag", "b", "k", 1));
            assertEquals(List.of("a", "-", "b"), run(q, events));
        }

        @Test
        void multiValuedMissingEventCoversEachOfItsKeys() {
            Query q = Q.sequence(List.of(field("k")), SECOND, stage(tag("a")), missing(tag("m")), stage(tag("b")));
            List<Event> events = List.of(
                    Q.event("a", Instant.ofEpochMilli(0), "tag", "a", "k", 1),
                    Q.event("m", Instant.ofEpochMilli(1), "tag", "m", "k", List.of(2, 1)),
                    Q.event("b", Instant.ofEpochMilli(2), "tag", "b", "k", 1));
            assertEquals(List.of(), run(q, events));
        }

        @Test
        void missingStageJoinsOnItsOwnByKeys() {
            // As in Elasticsearch's withByKey3: the missing stage joins by k2 while the others join by k1.
            Query q = Q.sequence(
                    List.of(),
                    SECOND,
                    stage(tag("a"), field("k1")),
                    missing(tag("m"), field("k2")),
                    stage(tag("b"), field("k1")));
            List<Event> events = List.of(
                    Q.event("a", Instant.ofEpochMilli(0), "tag", "a", "k1", "foo"),
                    Q.event("m", Instant.ofEpochMilli(1), "tag", "m", "k1", "bar", "k2", "foo"),
                    Q.event("b", Instant.ofEpochMilli(2), "tag", "b", "k1", "foo"));
            assertEquals(List.of(), run(q, events));
        }
    }
}
