package io.eqlwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.engine.Match;
import io.eqlwatch.engine.QueryRunner;
import io.eqlwatch.engine.RunCounters;
import io.eqlwatch.eql.CompiledEventQuery;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.event.Event;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's generator: the same seed gives the same stream; the stream is in time order; the rule,
 * parsed from the shipped YAML and run by the real engine, finds exactly the planted transfers; noise passes
 * no stage; and the check that the bench command relies on notices a wrong result.
 */
class SyntheticEventStreamTest {

    private static final Rule RULE = new RuleLoader().loadFile(Path.of("rules/lateral_tool_transfer_smb.yml"));
    private static final SequenceQuery SEQUENCE = (SequenceQuery) RULE.query().body();

    /** Dense enough to plant many transfers in a short stream; few hosts, so hosts are reused often. */
    private static final Workload DENSE = new Workload(60_000, 200, 0.004, 0.03, 500, null, 11);

    private static Evaluator evaluator() {
        return new Evaluator(DefendFieldTypes.of(), RULE.eventCategoryField());
    }

    private static List<Event> all(SyntheticEventStream stream) {
        List<Event> out = new ArrayList<>();
        stream.forEachRemaining(out::add);
        return out;
    }

    @Test
    void theSameSeedGivesTheSameStreamAndAnotherSeedAnother() {
        List<Event> first = all(new SyntheticEventStream(DENSE.withEvents(5_000)));
        List<Event> again = all(new SyntheticEventStream(DENSE.withEvents(5_000)));
        assertEquals(first, again, "events (id, index, timestamp, document) must repeat for one seed");
        Workload otherSeed = new Workload(
                5_000,
                DENSE.hosts(),
                DENSE.attackRate(),
                DENSE.candidateRate(),
                DENSE.eventsPerSecond(),
                null,
                DENSE.seed() + 1);
        assertNotEquals(first, all(new SyntheticEventStream(otherSeed)));
    }

    @Test
    void givesExactlyTheRequestedEventsInTimeOrderWithUniqueIds() {
        SyntheticEventStream stream = new SyntheticEventStream(DENSE);
        List<Event> events = all(stream);
        assertEquals(DENSE.events(), events.size());
        assertEquals(DENSE.events(), stream.tally().events());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            assertTrue(
                    ids.add(events.get(i).id()), "duplicate id " + events.get(i).id());
            if (i > 0) {
                assertFalse(
                        events.get(i).timestamp().isBefore(events.get(i - 1).timestamp()),
                        events.get(i).id() + " comes before "
                                + events.get(i - 1).id());
            }
        }
        assertEquals(DENSE.start(), events.get(0).timestamp());
        // 60,000 events at 500/s span about two minutes
        assertTrue(
                stream.tally().spanMillis() > 100_000 && stream.tally().spanMillis() < 140_000,
                "span " + stream.tally().spanMillis());
    }

    @Test
    void theRuleFindsExactlyThePlantedTransfers() {
        SyntheticEventStream stream = new SyntheticEventStream(DENSE);
        PlantedMatchCheck check = new PlantedMatchCheck();
        QueryRunner runner = new QueryRunner(RULE.query(), evaluator(), check);
        stream.forEachRemaining(runner::accept);
        RunCounters counters = runner.finish();

        assertTrue(stream.tally().planted() > 150, "planted " + stream.tally().planted());
        assertNull(check.verify(stream));
        assertEquals(stream.tally().planted(), counters.matchesFound());
        assertEquals(stream.tally().planted(), check.found());
    }

    @Test
    void theDefaultMixIsMostlyNoiseWithSomeCandidatesAndAFewTransfers() {
        Workload defaults = new Workload(200_000, 5000, 0.0001, 0.01, 2000, null, 42);
        SyntheticEventStream stream = new SyntheticEventStream(defaults);
        PlantedMatchCheck check = new PlantedMatchCheck();
        QueryRunner runner = new QueryRunner(RULE.query(), evaluator(), check);
        stream.forEachRemaining(runner::accept);
        runner.finish();

        SyntheticEventStream.Tally tally = stream.tally();
        assertNull(check.verify(stream));
        assertTrue(tally.noise() > 0.98 * tally.events(), "noise " + tally.noise());
        assertTrue(tally.candidates() > 1_600 && tally.candidates() < 2_400, "candidates " + tally.candidates());
        assertTrue(tally.planted() > 8 && tally.planted() < 35, "planted " + tally.planted());
        assertEquals(0, tally.noFreeHost());
    }

    @Test
    void noiseIsAcceptedByNoStage() {
        Evaluator evaluator = evaluator();
        CompiledEventQuery network = evaluator.compile(SEQUENCE.stages().get(0).event());
        CompiledEventQuery file = evaluator.compile(SEQUENCE.stages().get(1).event());
        SyntheticEventStream stream = new SyntheticEventStream(DENSE);
        long connections = 0;
        long plantedWrites = 0;
        while (stream.hasNext()) {
            Event e = stream.next();
            if (network.matches(e)) {
                connections++;
            }
            if (file.matches(e)) {
                // a planted write, or a candidate's executable written after the maxspan: nothing else
                boolean planted = e.id().startsWith("atk-") && e.id().endsWith("-file");
                plantedWrites += planted ? 1 : 0;
                assertTrue(
                        planted || String.valueOf(e.first("file.name")).startsWith("late-"),
                        e.source().toString());
            }
        }
        SyntheticEventStream.Tally tally = stream.tally();
        assertEquals(
                tally.candidates() + tally.attacksStarted(),
                connections,
                "stage 1 accepts only the candidates' and the transfers' connections");
        assertEquals(tally.planted(), plantedWrites);
    }

    @Test
    void theCheckNoticesAWrongPairAMissedTransferAndAnUnplantedMatch() {
        List<Event> events = all(new SyntheticEventStream(DENSE.withEvents(20_000)));
        Event net0 = find(events, "atk-0-net");
        Event file0 = find(events, "atk-0-file");
        Event file1 = find(events, "atk-1-file");

        SyntheticEventStream stream = new SyntheticEventStream(DENSE.withEvents(20_000));
        stream.forEachRemaining(e -> {});
        PlantedMatchCheck wrongPair = new PlantedMatchCheck();
        wrongPair.accept(new Match(List.of(net0, file1), List.of()));
        String problem = wrongPair.verify(stream);
        assertTrue(problem != null && problem.contains("not planted") && problem.contains("not found"), problem);

        PlantedMatchCheck twice = new PlantedMatchCheck();
        twice.accept(new Match(List.of(net0, file0), List.of()));
        twice.accept(new Match(List.of(net0, file0), List.of()));
        String twiceProblem = twice.verify(stream);
        assertTrue(twiceProblem != null && twiceProblem.contains("matched twice"), twiceProblem);

        PlantedMatchCheck noise = new PlantedMatchCheck();
        noise.accept(new Match(List.of(events.get(0), events.get(1)), List.of()));
        assertTrue(noise.verify(stream).contains("not planted"), noise.verify(stream));
    }

    @Test
    void badWorkloadsAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Workload(10, 0, 0, 0, 1, null, 1))
                .getMessage()
                .contains("host"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Workload(10, 5, 0.4, 0.2, 1, null, 1))
                .getMessage()
                .contains("0.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Workload(10, 5, 0, 0, 0, null, 1))
                .getMessage()
                .contains("rate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Workload(-1, 5, 0, 0, 1, null, 1))
                .getMessage()
                .contains("negative"));
    }

    private static Event find(List<Event> events, String id) {
        return events.stream()
                .filter(e -> e.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no event " + id));
    }
}
