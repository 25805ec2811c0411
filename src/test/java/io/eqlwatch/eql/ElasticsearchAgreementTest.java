package io.eqlwatch.eql;

import static io.eqlwatch.eql.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.engine.Match;
import io.eqlwatch.engine.QueryRunner;
import io.eqlwatch.eql.analysis.Problem;
import io.eqlwatch.eql.analysis.Verifier;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.event.DateFormat;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.event.MappedField;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9, cause by cause, on the engine alone: each case is what Elasticsearch's EQL answers (its source or its
 * own test corpus is named), so that ElasticsearchConformanceIT, which asks the real Elasticsearch, can stay small.
 */
class ElasticsearchAgreementTest {

    private static boolean matches(FieldTypes types, String query, Event event) {
        EventQuery eventQuery = (EventQuery) EqlParser.parse(query).body();
        return new Evaluator(types).matches(eventQuery, event);
    }

    private static boolean matches(String query, Event event) {
        return matches(FieldTypes.NONE, query, event);
    }

    /**
     * Cause 1. Elasticsearch reads values through the search {@code fields} option (FieldHitExtractor), which
     * follows an alias to its target; _source never holds the alias (test data: extra.mapping maps
     * event.category as an alias of event_type).
     */
    @Nested
    class Aliases {
        private final FieldTypes types = new FieldTypes(
                Map.of(
                        "event_type",
                        FieldType.KEYWORD,
                        "event.category",
                        FieldType.KEYWORD,
                        "serial_event_id",
                        FieldType.LONG,
                        "serial",
                        FieldType.LONG),
                Map.of(
                        "event.category",
                        new MappedField("event_type", null, null),
                        "serial",
                        new MappedField("serial_event_id", null, null)),
                true);

        @Test
        void theCategoryAndConditionsReadTheAliasTarget() {
            Event e = event("{\"event_type\": \"process\", \"serial_event_id\": 1}");
            assertTrue(matches(types, "process where serial == 1", e));
            assertFalse(matches(types, "file where serial == 1", e));
            assertTrue(matches(types, "any where serial in (1, 2) and event.category : \"PROC*\"", e));
        }

        @Test
        void joinKeysReadTheAliasTarget() {
            Query query = EqlParser.parse("sequence by serial [process where true] [file where true]");
            List<Match> found = QueryRunner.run(
                    query,
                    List.of(
                            at(event("{\"event_type\": \"process\", \"serial_event_id\": 7}"), 0),
                            at(event("{\"event_type\": \"file\", \"serial_event_id\": 7}"), 1)),
                    new Evaluator(types));
            assertEquals(1, found.size());
            assertEquals(List.of(7L), found.get(0).joinKeys());
        }
    }

    /**
     * Cause 2. Elasticsearch's optimizer rule ReplaceNullChecks turns {@code x == null} into IsNull(x) and
     * {@code x != null} into IsNotNull(x) for any expression x, null on either side; queries from its corpus.
     */
    @Nested
    class NullChecks {
        private final Event withBoth = event("{\"event\": {\"category\": \"process\"}, \"process_name\": \"a\","
                + " \"parent_process_name\": \"b\", \"file_name\": \"explorer.exe\"}");
        private final Event withOne = event("{\"event\": {\"category\": \"process\"}, \"process_name\": \"a\","
                + " \"exit_code\": 0, \"file_name\": \"x\"}");

        @Test
        void functionsComparedWithNull() {
            assertTrue(matches("process where concat(process_name, parent_process_name) != null", withBoth));
            assertFalse(matches("process where concat(process_name, parent_process_name) != null", withOne));
            assertTrue(matches("process where concat(process_name, parent_process_name) == null", withOne));
            assertTrue(matches("process where indexOf(file_name, \"plorer.\", 2) != null", withBoth));
            assertFalse(matches("process where indexOf(file_name, \"plorer.\", 2) != null", withOne));
        }

        @Test
        void nullOnTheLeftOfAComparisonOrABooleanExpression() {
            assertTrue(matches("process where null == (exit_code > -1)", withBoth));
            assertFalse(matches("process where null == (exit_code > -1)", withOne));
            assertTrue(matches("process where (exit_code > -1) != null", withOne));
            assertTrue(matches("process where null != process_name", withOne));
            assertTrue(matches("process where null == null", withOne));
            assertFalse(matches("process where null != null", withOne));
        }
    }

    /**
     * Cause 4. A sample key is a composite aggregation's bucket key: a date field's value in epoch milliseconds,
     * however the field's format writes it (test_sample.toml, customDateFormatsAsKey_*: join key 1671235200000).
     */
    @Test
    void sampleKeysOnDatesAreTheirValueInEpochMillis() {
        FieldTypes types = new FieldTypes(
                Map.of("event.category", FieldType.KEYWORD, "pretty", FieldType.DATE, "date", FieldType.DATE),
                Map.of(
                        "pretty",
                        new MappedField(null, null, DateFormat.of("dd-MM-yyyy||yyyy-MM-dd")),
                        "date",
                        new MappedField(null, null, DateFormat.of("yyyy-MM-dd"))),
                true);
        Query query = EqlParser.parse("sample [success where true] by date [failure where true] by pretty");
        List<Match> found = QueryRunner.run(
                query,
                List.of(
                        at(event("{\"event\": {\"category\": \"success\"}, \"date\": \"2022-12-17\"}"), 0),
                        at(event("{\"event\": {\"category\": \"failure\"}, \"pretty\": \"17-12-2022\"}"), 1)),
                new Evaluator(types));
        assertEquals(1, found.size());
        assertEquals(List.of(1671235200000L), found.get(0).joinKeys());
    }

    /**
     * Cause 5. An optional field no index maps is the constant null in Elasticsearch, so {@code ?x == ?y} is
     * {@code null == null}, true (test_sample.toml, optionalFieldAsQueryKeysOnly).
     */
    @Test
    void optionalFieldsComparedWithEachOther() {
        FieldTypes mapped = TestEvents.types("event.category", FieldType.KEYWORD, "process_name", FieldType.KEYWORD);
        Event e = event("{\"event\": {\"category\": \"process\"}, \"process_name\": \"a\"}");
        assertTrue(matches(mapped, "process where ?x == ?y", e));
        assertFalse(matches(mapped, "process where ?x != ?y", e));
        assertFalse(matches(mapped, "process where ?x == ?process_name", e));
        assertTrue(matches("process where ?x == ?y", e), "without a mapping, fields missing from the event are null");
        List<Problem> refused =
                Verifier.verify(EqlParser.parse("process where ?process_name == ?process_name"), mapped);
        assertEquals(1, refused.size(), "two mapped fields compared is still refused: " + refused);
    }

    /**
     * Cause 6. A date_nanos field keeps nanoseconds: equality and ranges tell apart instants within a millisecond
     * (test_queries_date_nanos.toml compares @timestamp with nine-digit fractions).
     */
    @Test
    void dateNanosKeepsNanoseconds() {
        FieldTypes types = TestEvents.types("@timestamp", FieldType.DATE_NANOS);
        Event e = event("{\"event\": {\"category\": \"process\"}, \"@timestamp\": \"1974-03-03T02:22:54.294365140Z\"}");
        assertTrue(matches(types, "process where @timestamp == \"1974-03-03T02:22:54.294365140Z\"", e));
        assertFalse(matches(types, "process where @timestamp == \"1974-03-03T02:22:54.294365141Z\"", e));
        assertTrue(matches(types, "process where @timestamp > \"1974-03-03T02:22:54.294365139Z\"", e));
        assertFalse(matches(types, "process where @timestamp > \"1974-03-03T02:22:54.294365140Z\"", e));
        FieldTypes millis = TestEvents.types("@timestamp", FieldType.DATE);
        assertTrue(
                matches(millis, "process where @timestamp == \"1974-03-03T02:22:54.294Z\"", e),
                "a date field holds milliseconds only");
    }

    /**
     * Cause 7. A JSON null in a field mapped with {@code null_value} is indexed and returned as that value
     * (test_extra.toml, optionalDefaultNullValueField*: {@code == "NULL"} matches the null documents).
     */
    @Test
    void nullValueOfTheMapping() {
        FieldTypes types =
                new FieldTypes(Map.of("f", FieldType.KEYWORD), Map.of("f", new MappedField(null, "NULL", null)), true);
        Event explicitNull = event("{\"event\": {\"category\": \"x\"}, \"f\": null}");
        Event inArray = event("{\"event\": {\"category\": \"x\"}, \"f\": [\"a\", null]}");
        Event missing = event("{\"event\": {\"category\": \"x\"}}");
        assertTrue(matches(types, "x where f == \"NULL\"", explicitNull));
        assertFalse(matches(types, "x where f == null", explicitNull));
        assertTrue(matches(types, "x where f == \"NULL\"", inArray));
        assertFalse(matches(types, "x where f == \"NULL\"", missing));
        assertTrue(matches(types, "x where f == null", missing));
    }

    /** Cause 8. Elasticsearch accepts {@code with runs} on a missing-event stage; it counts that many stages. */
    @Test
    void runsOnAMissingEventStageParse() {
        Query query =
                EqlParser.parse("sequence with maxspan=1h [a where true] ![b where true] with runs=2 [c where true]");
        assertEquals(
                2,
                ((io.eqlwatch.eql.ast.SequenceQuery) query.body())
                        .stages()
                        .get(1)
                        .runs());
    }

    /**
     * Cause 9. Elasticsearch's Verifier refuses a field no index maps: "Unknown column [x]"; an optional field
     * may be missing. Without a complete mapping nothing is unknown.
     */
    @Nested
    class UnknownFields {
        private final FieldTypes types = TestEvents.types(
                "event.category", FieldType.KEYWORD, "process.pid", FieldType.LONG, "process.name", FieldType.KEYWORD);

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "process where fake_field : \"*\"",
                    "process where length(fake_field) > 0",
                    "sequence by fake_field [process where true] [file where true]",
                    "sequence [process where true] by fake_field [file where true] by process.pid"
                })
        void areReportedWithTheirPosition(String query) {
            List<Problem> problems = Verifier.verify(EqlParser.parse(query), types);
            assertEquals(1, problems.size(), problems.toString());
            assertEquals("Unknown column [fake_field]", problems.get(0).message());
            assertEquals(query.indexOf("fake_field") + 1, problems.get(0).column());
        }

        @Test
        void everyProblemIsReportedWithASuggestion() {
            String query = "process where process.pdi == 4 and\n  process.nmae : \"x\" and ?maybe == null";
            List<Problem> problems = Verifier.verify(EqlParser.parse(query), types);
            assertEquals(
                    List.of(
                            new Problem(1, 15, "Unknown column [process.pdi], did you mean [process.pid]?"),
                            new Problem(2, 3, "Unknown column [process.nmae], did you mean [process.name]?")),
                    problems);
        }

        @Test
        void nothingIsUnknownWithoutACompleteMapping() {
            Query query = EqlParser.parse("process where fake_field : \"*\"");
            assertTrue(Verifier.verify(query, FieldTypes.NONE).isEmpty());
            assertTrue(Verifier.verify(query, FieldTypes.assumed(Map.of("@timestamp", FieldType.DATE)))
                    .isEmpty());
        }

        @Test
        void aRuleRunRefusesThem() {
            Query query = EqlParser.parse("process where process.pdi == 4");
            var e = assertThrows(
                    io.eqlwatch.eql.analysis.QueryRejectedException.class,
                    () -> Verifier.check(query, types, "rule 'x'"));
            assertEquals(
                    "rule 'x': line 1:15: Unknown column [process.pdi], did you mean [process.pid]?", e.getMessage());
        }
    }

    private static Event at(Event event, int second) {
        return new Event(
                event.id(),
                event.index(),
                Instant.parse("2024-01-01T00:00:00Z").plusSeconds(second),
                null,
                event.source());
    }
}
