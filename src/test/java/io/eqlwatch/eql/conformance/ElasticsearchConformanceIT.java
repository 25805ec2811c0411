package io.eqlwatch.eql.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.eql.EqlSearchResponse;
import co.elastic.clients.elasticsearch.eql.HitsEvent;
import co.elastic.clients.elasticsearch.eql.HitsSequence;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.engine.Match;
import io.eqlwatch.engine.QueryRunner;
import io.eqlwatch.eql.EqlParser;
import io.eqlwatch.eql.EqlSyntaxException;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.analysis.Problem;
import io.eqlwatch.eql.analysis.Verifier;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.dsl.PushDownTranslator;
import io.eqlwatch.eql.dsl.ReadFilter;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.source.EventReader;
import io.eqlwatch.source.EventStream;
import io.eqlwatch.source.FieldMappings;
import io.eqlwatch.source.ReadRequest;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 against the real Elasticsearch: each query runs through Elasticsearch's own EQL search and through
 * eqlwatch (mapping read, push-down, paged read, in-memory engine) over the same indices, and the two answers
 * must be the same events in the same order, with the same join keys. The mappings use what real mappings use
 * and the engine once got wrong: {@code alias} fields (the category itself is one, as in Elasticsearch's own
 * EQL test data), {@code null_value}, {@code date_nanos}, multi-valued join keys and date fields with custom
 * formats that differ between indices.
 */
class ElasticsearchConformanceIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final String PREFIX = ES.uniqueIndexName("eqlwatch-conformance");
    private static final String A = PREFIX + "-a";
    private static final String B = PREFIX + "-b";
    private static final String NANOS = PREFIX + "-nanos";
    private static final Instant FROM = Instant.parse("2017-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2018-01-01T00:00:00Z");

    static {
        ES.createIndex(A, ElasticsearchHarness.json("""
                {"properties": {
                  "@timestamp": {"type": "date"},
                  "event_type": {"type": "keyword"},
                  "event": {"properties": {"category": {"type": "alias", "path": "event_type"}}},
                  "serial_event_id": {"type": "long"},
                  "serial": {"type": "alias", "path": "serial_event_id"},
                  "process_name": {"type": "keyword"}, "parent_process_name": {"type": "keyword"},
                  "file_name": {"type": "keyword"}, "exit_code": {"type": "long"},
                  "tags": {"type": "keyword"}, "items": {"type": "keyword"},
                  "opt_null": {"type": "keyword", "null_value": "NULL"},
                  "pretty": {"type": "date", "format": "dd-MM-yyyy"},
                  "host": {"type": "keyword"}
                }}"""));
        ES.createIndex(B, ElasticsearchHarness.json("""
                {"properties": {
                  "@timestamp": {"type": "date"},
                  "event_type": {"type": "keyword"},
                  "event": {"properties": {"category": {"type": "alias", "path": "event_type"}}},
                  "serial_event_id": {"type": "long"},
                  "process_name": {"type": "keyword"},
                  "tags": {"type": "keyword"}, "items": {"type": "keyword"},
                  "pretty": {"type": "date", "format": "yyyy-MM-dd"},
                  "date": {"type": "date", "format": "yyyy-MM-dd"},
                  "host": {"type": "keyword"}
                }}"""));
        ES.createIndex(NANOS, ElasticsearchHarness.json("""
                {"properties": {
                  "@timestamp": {"type": "date_nanos"},
                  "event": {"properties": {"category": {"type": "keyword"}}},
                  "serial_event_id": {"type": "long"}
                }}"""));
        ES.bulkIndex(A, List.of(
                doc("2017-08-30T20:47:31Z", "process", 1, "process_name", "explorer.exe", "parent_process_name", "cmd.exe",
                        "exit_code", 0, "file_name", "explorer.exe", "tags", List.of("t1", "t2"), "items", List.of("i1", "i2"),
                        "opt_null", null, "pretty", "17-12-2022", "host", "h1"),
                doc("2017-08-30T20:47:32Z", "file", 2, "process_name", "notepad.exe", "file_name", "a.txt",
                        "tags", List.of("t1", "t2"), "items", List.of("i1", "i2"), "opt_null", "x", "pretty", "18-12-2022",
                        "host", "h1"),
                doc("2017-08-30T20:47:33Z", "process", 3, "process_name", "svchost.exe", "parent_process_name", "services.exe",
                        "file_name", "explorer.exe", "tags", List.of("d", "d"), "items", "i1", "host", "h1"),
                doc("2017-08-30T20:47:34Z", "file", 4, "tags", List.of("d", "d"), "items", "i1", "pretty", "17-12-2022",
                        "opt_null", Arrays.asList("y", null), "host", "h1")),
                List.of("a1", "a2", "a3", "a4"));
        ES.bulkIndex(B, List.of(
                doc("2017-08-30T20:47:35Z", "network", 5, "pretty", "2022-12-17", "date", "2022-12-17", "host", "h2",
                        "tags", "t1"),
                doc("2017-08-30T20:47:36Z", "file", 6, "pretty", "2022-12-18", "date", "2022-12-18", "host", "h2"),
                doc("2017-08-30T20:47:37Z", "process", 7, "process_name", "cmd.exe", "pretty", "2022-12-18",
                        "date", "2022-12-18", "host", "h2")),
                List.of("b1", "b2", "b3"));
        ES.bulkIndex(NANOS, List.of(
                nanos("2017-08-30T20:47:34.294365140Z", "process", 11),
                nanos("2017-08-30T20:47:34.294365100Z", "file", 12),
                nanos("2017-08-30T20:47:34.294365200Z", "file", 13),
                nanos("2017-08-30T20:47:34.294999999Z", "network", 14)),
                List.of("n1", "n2", "n3", "n4"));
        ES.refresh(A, B, NANOS);
    }

    @AfterAll
    static void dropIndices() {
        ES.deleteIndices(A, B, NANOS);
    }

    /** Cause 1: an alias (here the category field itself, and {@code serial}) reads its target's value. */
    @ParameterizedTest
    @ValueSource(strings = {
            "process where serial_event_id == 1",
            "process where serial == 1",
            "any where serial in (2, 3)",
            "sequence by host [process where true] [file where serial > 1]",
    })
    void aliasesResolve(String query) {
        assertSameAnswer(query, A, B);
    }

    /** Cause 2: {@code == null} and {@code != null} on any expression, null on either side (ReplaceNullChecks). */
    @ParameterizedTest
    @ValueSource(strings = {
            "process where concat(process_name, parent_process_name) != null",
            "process where concat(process_name, parent_process_name) == null",
            "process where null == (exit_code > -1)",
            "process where (exit_code > -1) != null",
            "any where indexOf(file_name, \"plorer.\", 2) != null",
            "any where null != process_name",
    })
    void nullChecksOnAnyExpression(String query) {
        assertSameAnswer(query, A, B);
    }

    /** Cause 3: one sequence per combination of key values; duplicate values give duplicate sequences. */
    @ParameterizedTest
    @ValueSource(strings = {
            "sequence by tags, items [process where true] [file where true]",
            "sequence by tags [process where true] [file where true]",
            "sequence [process where true] by tags [file where true] by tags",
    })
    void multiValuedJoinKeys(String query) {
        assertSameAnswer(query, A);
    }

    /** Cause 4: sample keys on date fields compare values, across formats and field names; keys are epoch millis. */
    @ParameterizedTest
    @ValueSource(strings = {
            "sample by pretty [process where true] [file where true]",
            "sample [process where true] by date [file where true] by pretty",
    })
    void sampleKeysOnDates(String query) {
        assertSameAnswer(query, A, B);
    }

    /** Cause 5: two optional fields compared with each other. */
    @ParameterizedTest
    @ValueSource(strings = {"process where ?x == ?y", "process where ?x != ?y", "process where ?x == ?process_name"})
    void optionalFieldsComparedWithEachOther(String query) {
        assertSameAnswer(query, A, B);
    }

    /** Cause 6: date_nanos keeps nanoseconds in equality, ranges and the order of events within a millisecond. */
    @ParameterizedTest
    @ValueSource(strings = {
            "any where @timestamp == \"2017-08-30T20:47:34.294365140Z\"",
            "any where @timestamp > \"2017-08-30T20:47:34.294365139Z\" and @timestamp <= \"2017-08-30T20:47:34.294365200Z\"",
            "sequence [process where true] [file where true]",
            "sequence [file where true] [file where true]",
    })
    void dateNanosPrecision(String query) {
        assertSameAnswer(query, NANOS);
    }

    /** Cause 7: an explicit null in a field with {@code null_value} is that value. */
    @ParameterizedTest
    @ValueSource(strings = {
            "any where opt_null == \"NULL\"",
            "any where opt_null == null",
            "any where opt_null != null",
            "any where opt_null : \"n*\"",
    })
    void nullValueOfTheMapping(String query) {
        assertSameAnswer(query, A);
    }

    /** Cause 8: {@code with runs} on a missing-event stage is accepted. */
    @ParameterizedTest
    @ValueSource(strings = {
            "sequence with maxspan=1h [process where true] ![network where true] with runs=2 [file where true]",
            "sequence by host with maxspan=1h [process where true] ![network where true] with runs=2 [file where true]",
    })
    void runsOnAMissingEventStage(String query) {
        assertSameAnswer(query, A, B);
    }

    /** Cause 9: a field no index maps is refused, naming it; an optional one is not. */
    @Nested
    class UnknownFields {

        @ParameterizedTest
        @ValueSource(strings = {"process where fake_field : \"*\"", "process where length(bad_field) > 0",
                "sequence by no_such_key [process where true] [file where true]"})
        void areRefusedAsByElasticsearch(String query) {
            String refusal = elasticsearchRefusal(query, A, B);
            assertTrue(refusal.contains("Unknown column ["), refusal);
            String column = refusal.substring(refusal.indexOf("Unknown column ["));
            column = column.substring(0, column.indexOf(']') + 1);
            List<Problem> problems = Verifier.verify(EqlParser.parse(query), types(A, B));
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).message().startsWith(column), problems + " vs Elasticsearch's " + refusal);
        }

        @Test
        void optionalUnknownFieldsAreAccepted() {
            assertSameAnswer("process where ?fake_field == null", A, B);
            assertTrue(Verifier.verify(EqlParser.parse("process where ?fake_field == null"), types(A, B)).isEmpty());
        }
    }

    // ------------------------------------------------------------------ the two answers

    private static void assertSameAnswer(String query, String... indices) {
        Answer expected = elasticsearch(query, indices);
        Answer actual = eqlwatch(query, indices);
        assertFalse(expected.events().isEmpty() && !query.contains("== null") && !query.contains("!= ?y"),
                "a conformance case should match something in Elasticsearch: " + query);
        assertEquals(expected, actual, "eqlwatch differs from Elasticsearch on: " + query);
    }

    /** The events of each result by id, in order, and the join keys of each, as text. */
    record Answer(List<List<String>> events, List<List<String>> joinKeys) {
    }

    private static Answer elasticsearch(String query, String... indices) {
        EqlSearchResponse<Map> response;
        try {
            response = ES.client().eql().search(s -> s.index(Arrays.asList(indices)).query(query).size(1000)
                    .allowNoIndices(true), Map.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<List<String>> events = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>();
        if (response.hits().events() != null && !response.hits().events().isEmpty()) {
            for (HitsEvent<Map> event : response.hits().events()) {
                events.add(List.of(event.id()));
                keys.add(List.of());
            }
        }
        if (response.hits().sequences() != null) {
            for (HitsSequence<Map> sequence : response.hits().sequences()) {
                List<String> ids = new ArrayList<>();
                for (HitsEvent<Map> event : sequence.events()) {
                    ids.add(Boolean.TRUE.equals(event.missing()) ? "missing" : event.id());
                }
                events.add(ids);
                keys.add(sequence.joinKeys().stream().map(k -> k == null ? "null" : k.toJson().toString()).toList());
            }
        }
        return new Answer(events, keys);
    }

    private static String elasticsearchRefusal(String query, String... indices) {
        try {
            ES.client().eql().search(s -> s.index(Arrays.asList(indices)).query(query), Map.class);
        } catch (ElasticsearchException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("Elasticsearch accepted " + query);
    }

    private static FieldTypes types(String... indices) {
        return new FieldMappings(ES.client(), ES.url()).read(List.of(indices));
    }

    private static Answer eqlwatch(String text, String... indices) {
        Query query;
        try {
            query = EqlParser.parse(text);
        } catch (EqlSyntaxException e) {
            throw new AssertionError("eqlwatch refuses what Elasticsearch accepts: " + text + ": " + e.getMessage(), e);
        }
        FieldTypes types = types(indices);
        List<Problem> problems = Verifier.verify(query, types);
        assertTrue(problems.isEmpty(), "eqlwatch refuses what Elasticsearch accepts: " + text + ": " + problems);
        ObjectNode filter = new ReadFilter(new PushDownTranslator(types)).of(query);
        List<Match> matches = new ArrayList<>();
        QueryRunner runner = new QueryRunner(query, new Evaluator(types), matches::add);
        try (EventStream stream = new EventReader(ES.client(), ES.url()).read(ReadRequest.of(List.of(indices), filter, FROM, TO))) {
            while (!runner.satisfied() && stream.hasNext()) {
                runner.accept(stream.next());
            }
        }
        runner.finish();
        List<List<String>> events = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>();
        for (Match match : matches) {
            List<String> ids = new ArrayList<>();
            for (Event event : match.stageEvents()) {
                ids.add(event == null ? "missing" : event.id());
            }
            events.add(ids);
            keys.add(match.joinKeys().stream().map(ElasticsearchConformanceIT::jsonText).toList());
        }
        return new Answer(events, keys);
    }

    private static String jsonText(Object key) {
        if (key == null) {
            return "null";
        }
        return key instanceof String s ? "\"" + s + "\"" : key.toString();
    }

    private static Map<String, Object> doc(String timestamp, String type, long serial, Object... fields) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@timestamp", timestamp);
        doc.put("event_type", type);
        doc.put("serial_event_id", serial);
        for (int i = 0; i < fields.length; i += 2) {
            doc.put((String) fields[i], fields[i + 1]);
        }
        return doc;
    }

    private static Map<String, Object> nanos(String timestamp, String category, long serial) {
        Map<String, Object> doc = new HashMap<>();
        doc.put("@timestamp", timestamp);
        doc.put("event", Map.of("category", category));
        doc.put("serial_event_id", serial);
        return doc;
    }
}
