package io.eqlwatch.eql.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.engine.Match;
import io.eqlwatch.eql.EqlParser;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.analysis.Problem;
import io.eqlwatch.eql.analysis.Verifier;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.parser.EqlSyntaxException;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.QueryPlan;
import io.eqlwatch.plan.ReadSpec;
import io.eqlwatch.schedule.TimeWindow;
import io.eqlwatch.schedule.WindowDetection;
import io.eqlwatch.source.EventReader;
import io.eqlwatch.source.FieldMappings;
import io.eqlwatch.source.ReadRequest;
import io.eqlwatch.testing.ElasticsearchHarness;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 9 against the real Elasticsearch: eqlwatch reads the mappings, pushes its filter down, pages the events
 * and evaluates in memory, and must give Elasticsearch's EQL answer. The test distribution (integ-test-zip) has
 * no EQL endpoint, so the answer is Elasticsearch's own: the first group replays its QA corpus
 * (x-pack/plugin/eql/qa/common, data/extra.data with extra.mapping and the answers of test_extra.toml), the others
 * state the rule of its source that decides each case (ReplaceNullChecks, FieldHitExtractor through the
 * {@code fields} option, the composite aggregation of samples). The mappings use what real mappings use and the
 * engine once got wrong: {@code alias} fields (the category itself is one), {@code null_value},
 * {@code date_nanos}, multi-valued join keys and date fields whose formats differ between indices.
 */
class ElasticsearchConformanceIT {

    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory JSON =
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final String PREFIX = ES.uniqueIndexName("eqlwatch-conformance");
    private static final String EXTRA = PREFIX + "-extra";
    private static final String A = PREFIX + "-a";
    private static final String B = PREFIX + "-b";
    private static final String NANOS = PREFIX + "-nanos";
    private static final String WORDS = PREFIX + "-words";

    /**
     * Values whose case a regular expression may or may not fold: ASCII letters in both cases, letters outside ASCII
     * with one-to-one and one-to-many case pairs, the Kelvin sign (which folds to k only under Unicode rules), and
     * characters no case applies to.
     */
    private static final List<String> WORD_VALUES = List.of(
            "abc", "ABC", "aBc", "Abc", "b", "B", "-", "a.c", "abcab", "x07", "x7", "aa", "AA", "k", "K", "\u212A",
            "\u00e9", "\u00c9", "\u00df", "ss", "SS", "\u03c3", "\u03a3", "\u03c2", "foo bar", "FOO BAR", "q9", "Q9");

    static {
        // Elasticsearch's extra.mapping (event_type as keyword), with the dynamically mapped fields made explicit
        ES.createIndex(
                EXTRA,
                ElasticsearchHarness.json(
                        """
                {"properties": {
                  "@timestamp": {"type": "date"},
                  "event_type": {"type": "keyword"},
                  "sequence": {"type": "long"},
                  "event": {"properties": {
                    "category": {"type": "alias", "path": "event_type"},
                    "sequence": {"type": "alias", "path": "sequence"}}},
                  "optional_field_mapping_only": {"type": "keyword"},
                  "optional_field_default_null": {"type": "keyword", "null_value": "NULL"},
                  "transID": {"type": "long"},
                  "process": {"properties": {"pid": {"type": "long"}, "entity_id": {"type": "long"}}},
                  "tags": {"type": "keyword"}, "items": {"type": "keyword"},
                  "tags_with_duplicates": {"type": "keyword"}, "tags_unordered": {"type": "keyword"},
                  "tags_with_null": {"type": "keyword"}, "optional_tags": {"type": "keyword"},
                  "date_tags": {"type": "date"}
                }}"""));
        ES.bulkIndex(
                EXTRA,
                extraData(),
                extraData().stream().map(d -> d.get("sequence").toString()).toList());
        ES.createIndex(
                A,
                ElasticsearchHarness.json(
                        """
                {"properties": {
                  "@timestamp": {"type": "date"},
                  "event_type": {"type": "keyword"},
                  "event": {"properties": {"category": {"type": "alias", "path": "event_type"}}},
                  "serial_event_id": {"type": "long"},
                  "serial": {"type": "alias", "path": "serial_event_id"},
                  "process_name": {"type": "keyword"}, "parent_process_name": {"type": "keyword"},
                  "file_name": {"type": "keyword"}, "exit_code": {"type": "long"},
                  "pretty": {"type": "date", "format": "dd-MM-yyyy"},
                  "host": {"type": "keyword"}
                }}"""));
        ES.createIndex(
                B,
                ElasticsearchHarness.json(
                        """
                {"properties": {
                  "@timestamp": {"type": "date"},
                  "event_type": {"type": "keyword"},
                  "event": {"properties": {"category": {"type": "alias", "path": "event_type"}}},
                  "serial_event_id": {"type": "long"},
                  "process_name": {"type": "keyword"},
                  "pretty": {"type": "date", "format": "yyyy-MM-dd"},
                  "date": {"type": "date", "format": "yyyy-MM-dd"},
                  "host": {"type": "keyword"}
                }}"""));
        ES.createIndex(
                NANOS,
                ElasticsearchHarness.json(
                        """
                {"properties": {
                  "@timestamp": {"type": "date_nanos"},
                  "event": {"properties": {"category": {"type": "keyword"}}},
                  "serial_event_id": {"type": "long"}
                }}"""));
        ES.bulkIndex(
                A,
                List.of(
                        doc(
                                "2017-08-30T20:47:31Z",
                                "process",
                                1,
                                "process_name",
                                "explorer.exe",
                                "parent_process_name",
                                "cmd.exe",
                                "exit_code",
                                0,
                                "file_name",
                                "explorer.exe",
                                "pretty",
                                "17-12-2022",
                                "host",
                                "h1"),
                        doc(
                                "2017-08-30T20:47:32Z",
                                "file",
                                2,
                                "process_name",
                                "notepad.exe",
                                "file_name",
                                "a.txt",
                                "pretty",
                                "18-12-2022",
                                "host",
                                "h1"),
                        doc(
                                "2017-08-30T20:47:33Z",
                                "process",
                                3,
                                "process_name",
                                "svchost.exe",
                                "parent_process_name",
                                "services.exe",
                                "file_name",
                                "explorer.exe",
                                "host",
                                "h1"),
                        doc("2017-08-30T20:47:34Z", "file", 4, "pretty", "17-12-2022", "host", "h1")),
                List.of("a1", "a2", "a3", "a4"));
        ES.bulkIndex(
                B,
                List.of(
                        doc(
                                "2017-08-30T20:47:35Z",
                                "network",
                                5,
                                "pretty",
                                "2022-12-17",
                                "date",
                                "2022-12-17",
                                "host",
                                "h2"),
                        doc(
                                "2017-08-30T20:47:36Z",
                                "file",
                                6,
                                "pretty",
                                "2022-12-18",
                                "date",
                                "2022-12-18",
                                "host",
                                "h2"),
                        doc(
                                "2017-08-30T20:47:37Z",
                                "process",
                                7,
                                "process_name",
                                "cmd.exe",
                                "pretty",
                                "2022-12-18",
                                "date",
                                "2022-12-18",
                                "host",
                                "h2")),
                List.of("b1", "b2", "b3"));
        ES.bulkIndex(
                NANOS,
                List.of(
                        nanos("2017-08-30T20:47:34.294365140Z", "process", 11),
                        nanos("2017-08-30T20:47:34.294365100Z", "file", 12),
                        nanos("2017-08-30T20:47:34.294365200Z", "file", 13),
                        nanos("2017-08-30T20:47:34.294999999Z", "network", 14)),
                List.of("n1", "n2", "n3", "n4"));
        ES.createIndex(
                WORDS,
                ElasticsearchHarness.json(
                        """
                {"properties": {
                  "@timestamp": {"type": "date"},
                  "event": {"properties": {"category": {"type": "keyword"}}},
                  "word": {"type": "keyword"}
                }}"""));
        List<Map<String, Object>> words = new ArrayList<>();
        for (int i = 0; i < WORD_VALUES.size(); i++) {
            words.add(Map.of(
                    "@timestamp",
                    Instant.parse("2017-08-30T20:00:00Z").plusSeconds(i).toString(),
                    "event",
                    Map.of("category", "process"),
                    "word",
                    WORD_VALUES.get(i)));
        }
        ES.bulkIndex(
                WORDS,
                words,
                WORD_VALUES.stream().map(v -> "w" + WORD_VALUES.indexOf(v)).toList());
        ES.refresh(EXTRA, A, B, NANOS, WORDS);
    }

    @AfterAll
    static void dropIndices() {
        ES.deleteIndices(EXTRA, A, B, NANOS, WORDS);
    }

    /**
     * test_extra.toml over extra.data: the category is an alias (cause 1), null_value (cause 7), optional fields
     * compared with each other (cause 5), multi-valued keys with duplicates, nulls and cartesian products
     * (cause 3), runs. Answers as the corpus gives them: event ids in order, then the join keys of each result.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            basic | sequence by transID [ REQUEST where true ] [ ERROR where true ] [ STAT where true ] | 1,2,3,4,5,6 | 1234;1235
            basicWithFilter | sequence by transID [ REQUEST where transID == 1234 ] [ ERROR where true ] [ STAT where true ] | 1,2,3 | 1234
            optionalNoDocsFieldNullEquality | OPTIONAL where ?optional_field_mapping_only == null | 7,8,9 |
            optionalNoDocsFieldNumericEquality | OPTIONAL where ?optional_field_mapping_only == 123 | |
            optionalDefaultNullValueFieldEqualNull | OPTIONAL where ?optional_field_default_null == null | 8 |
            optionalDefaultNullValueFieldEqualDefaultValue | OPTIONAL where ?optional_field_default_null == "NULL" | 7,9 |
            optionalMissingFieldNullEquality | OPTIONAL where ?inexistent_field == null | 7,8,9 |
            optionalMissingFieldImplicitBooleanEquality | OPTIONAL where ?inexistent_field | |
            sequenceOptionalFieldAsKeyAndFirstFilter | sequence by ?x [OPTIONAL where ?x == null] [OPTIONAL where true] | 7,8,8,9 | null;null
            sequenceOptionalFieldAsKeyAndSecondFilter | sequence by ?x [REQUEST where transID == 1234] [OPTIONAL where ?x == null] | 1,7 | null
            sequenceOptionalFieldAsQueryKeys | sequence by ?x, transID [ERROR where true] by ?x [OPTIONAL where true] by ?y | 5,8 | null,1235,null
            sequenceOptionalFieldAsKeyAndMultipleConditions | sequence by ?x, ?y [ERROR where ?x == null or ?y == null] [OPTIONAL where ?y == null and ?x == null] | 5,7 | null,null
            sequenceOptionalFieldAsQueryKeysOnly | sequence by transID [ REQUEST where transID == 1234 ] by ?z [ ERROR where ?x == ?y ] by ?y [ STAT where true ] by ?x | 1,2,3 | 1234,null
            sequenceAllKeysOptional | sequence by ?process.entity_id, ?process.pid [process where transID == 2] [file where transID == 0] with runs=2 | 12,13,14,11,16,17,18,19,20 | null,123;null,null;512,123
            sequenceOneKeyOptional_1 | sequence by process.entity_id, ?process.pid [process where transID == 2] [file where transID == 0] with runs=2 | 18,19,20 | 512,123
            sequenceNoOptionalKeys | sequence by process.entity_id, process.pid [process where transID == 2] [file where transID == 0] with runs=2 | 18,19,20 | 512,123
            sequenceWithOptionalFieldsAndUntil_2 | sequence by ?process.entity_id, ?process.pid [process where transID == 2] [file where transID == 0] with runs=2 until [file where `sequence` == 19] | 12,13,14,11,16,17 | null,123;null,null
            sequenceWithMultivalue_OneToMany | sequence by tags [ REQUEST where true ] [ ERROR where true ] | 1,2 | tag1
            sequenceWithMultivalue_ManyToOne | sequence by tags [ process where true ] [ process where true ] | 10,11 | tag6
            sequenceWithMultivalue_ManyToMany | sequence by tags [ REQUEST where true ] [ file where true ] | 1,23,4,23,4,23 | tag1;tag3;tag4
            sequenceWithMultivalue_CartesianProduct | sequence by tags, items [ REQUEST where true ] [ file where true ] | 4,23,4,23,4,23,4,23 | tag3,item1;tag3,item2;tag4,item1;tag4,item2
            sequenceWithMultivalue_Duplicates | sequence by tags_with_duplicates [ process where true ] [ file where true ] | 12,13,12,13 | tag1;tag2
            sequenceWithMultivalue_RandomOrder | sequence by tags_unordered [ file where true ] [ file where true ] | 14,15,14,15 | tag1;tag5
            sequenceWithMultivalue_NullValues | sequence by tags_with_null [ file where true ] [ file where true ] | 16,19,16,20 | tag1;tag2
            sequenceWithOptionalMultivalue_simple | sequence by ?optional_tags [ process where true ] [ process where true ] | 11,12 | null
            sequenceWithOptionalMultivalue_multiPlusOptional | sequence by tags, ?optional_tags [ REQUEST where true ] [ ERROR where true ] | 1,2 | tag1,null
            sequenceWithOptionalMultivalue_twoOptionals | sequence by ?optional_tags, ?tags [ REQUEST where true ] [ ERROR where true ] | 1,2 | null,tag1
            """)
    void elasticsearchsOwnCorpus(String name, String query, String ids, String keys) {
        Answer actual = eqlwatch(query, "event.sequence", EXTRA);
        assertEquals(split(ids, ","), actual.flatIds(), name + ": " + query);
        if (keys != null && !actual.joinKeys().isEmpty()) {
            List<String> expectedKeys = new ArrayList<>();
            for (String one : keys.split(";")) {
                expectedKeys.add(String.join(",", split(one, ",")));
            }
            assertEquals(
                    expectedKeys,
                    actual.joinKeys().stream().map(k -> String.join(",", k)).toList(),
                    name + " join keys");
        }
    }

    /** Cause 1 on another shape: an alias read in conditions and as a join key, across two indices. */
    @Test
    void aliasesResolveInConditionsAndKeys() {
        assertEquals(
                List.of(List.of("a1")),
                eqlwatch("process where serial == 1", null, A).events());
        assertEquals(
                List.of(List.of("a2"), List.of("a3")),
                eqlwatch("any where serial in (2, 3)", null, A).events());
        assertEquals(
                List.of(List.of("a1", "a2"), List.of("a3", "a4")),
                eqlwatch("sequence by host [process where true] [file where serial > 1]", null, A, B)
                        .events());
    }

    /**
     * Cause 2: ReplaceNullChecks makes {@code x == null} IsNull(x) and {@code x != null} IsNotNull(x) for any
     * expression x, null on either side.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            process where concat(process_name, parent_process_name) != null | a1,a3
            process where concat(process_name, parent_process_name) == null | b3
            process where null == (exit_code > -1)                          | a3,b3
            process where (exit_code > -1) != null                          | a1
            any where indexOf(file_name, "plorer.", 2) != null              | a1,a3
            any where null != parent_process_name                           | a1,a3
            """)
    void nullChecksOnAnyExpression(String query, String ids) {
        assertEquals(split(ids, ","), eqlwatch(query, null, A, B).flatIds(), query);
    }

    /**
     * Cause 4: sample keys are the composite aggregation's bucket keys, a date's value in epoch milliseconds, so
     * {@code 17-12-2022} (dd-MM-yyyy) and {@code 2022-12-17} (yyyy-MM-dd) are one key, across field names too.
     */
    @Test
    void sampleKeysOnDatesAreValues() {
        Answer byPretty = eqlwatch("sample by pretty [process where true] [file where true]", null, A, B);
        assertEquals(List.of(List.of("a1", "a4"), List.of("b3", "a2")), byPretty.events());
        assertEquals(List.of(List.of("1671235200000"), List.of("1671321600000")), byPretty.joinKeys());
        Answer acrossNames = eqlwatch("sample [network where true] by date [process where true] by pretty", null, A, B);
        assertEquals(List.of(List.of("b1", "a1")), acrossNames.events());
        assertEquals(List.of(List.of("1671235200000")), acrossNames.joinKeys());
    }

    /** Cause 6: date_nanos keeps nanoseconds in equality, ranges and the order of events within a millisecond. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            any where @timestamp == "2017-08-30T20:47:34.294365140Z" | n1
            any where @timestamp > "2017-08-30T20:47:34.294365100Z" and @timestamp <= "2017-08-30T20:47:34.294365200Z" | n1,n3
            sequence [process where true] [file where true] | n1,n3
            sequence [file where true] [any where true] | n2,n1,n3,n4
            """)
    void dateNanosPrecision(String query, String ids) {
        assertEquals(split(ids, ","), eqlwatch(query, null, NANOS).flatIds(), query);
    }

    /** Cause 8: {@code with runs} on a missing-event stage is accepted and stands for that many missing stages. */
    @Test
    void runsOnAMissingEventStage() {
        assertEquals(
                List.of(List.of("a1", "missing", "missing", "a2"), List.of("a3", "missing", "missing", "a4")),
                eqlwatch(
                                "sequence by host with maxspan=1h [process where true] ![network where true] with runs=2 [file where true]",
                                null,
                                A,
                                B)
                        .events());
    }

    /** Cause 9: a field no index maps is refused, naming it; an optional one is not. */
    @Nested
    class UnknownFields {

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                textBlock =
                        """
                process where fake_field : "*"                                 | fake_field | 15
                process where length(bad_field) > 0                            | bad_field  | 22
                sequence by no_such_key [process where true] [file where true] | no_such_key | 13
                """)
        void areRefusedAsByElasticsearch(String query, String field, int column) {
            List<Problem> problems = Verifier.verify(EqlParser.parse(query), types(A, B));
            assertEquals(List.of(new Problem(1, column, "Unknown column [" + field + "]")), problems);
        }

        @Test
        void aTypoGetsASuggestion() {
            List<Problem> problems =
                    Verifier.verify(EqlParser.parse("process where serial_event_di == 1"), types(A, B));
            assertEquals(
                    List.of(new Problem(1, 15, "Unknown column [serial_event_di], did you mean [serial_event_id]?")),
                    problems);
        }

        @Test
        void optionalUnknownFieldsAreAccepted() {
            assertTrue(Verifier.verify(EqlParser.parse("process where ?fake_field == null"), types(A, B))
                    .isEmpty());
            assertEquals(
                    List.of(List.of("a1"), List.of("a3"), List.of("b3")),
                    eqlwatch("process where ?fake_field == null", null, A, B).events());
        }
    }

    /**
     * EQL's {@code regex} and {@code regex~} are Elasticsearch's {@code regexp} query on the field, {@code regex~}
     * with {@code case_insensitive} (the EQL plugin's RegexMatch becomes a RegexQuery), so the cluster's own answer
     * to that query over the same values is the answer eqlwatch must give, construct by construct, on every version
     * the suite runs against.
     */
    @Nested
    class RegularExpressions {

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = ';',
                quoteCharacter = '\'',
                textBlock =
                        """
                [a-c]+
                [A-C]+
                [abc]+
                [a-cA]+
                [^a-c]
                [^a]
                [^a-z]
                a.c
                .bc
                (ab|AB)c
                "abc"
                \\w+
                \\W
                [a-z]+
                x<1-12>
                k
                K
                \u00e9
                [\u00e9]
                \u00c9
                ss
                \u03c3
                [\u03a3]
                foo bar
                [A-Z][a-z]+
                q\\d
                [Q]\\d
                """)
        void agreeWithTheRegexpQueryOfTheCluster(String pattern) {
            for (boolean caseInsensitive : new boolean[] {false, true}) {
                String operator = caseInsensitive ? "regex~" : "regex";
                String literal = pattern.replace("\\", "\\\\").replace("\"", "\\\"");
                String query = "process where word " + operator + " \"" + literal + "\"";
                assertEquals(
                        clusterRegexp(pattern, caseInsensitive),
                        new java.util.TreeSet<>(eqlwatch(query, null, WORDS).flatIds()),
                        query);
            }
        }

        /**
         * {@code :}, {@code like~}, {@code in~} and the {@code ~} string functions on a field are Elasticsearch's
         * term, wildcard and prefix queries with {@code case_insensitive}, whose folding is their own.
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = ';',
                quoteCharacter = '\'',
                textBlock =
                        """
                word : "\u00e9"                 ; {"term": {"word": {"value": "\u00e9", "case_insensitive": true}}}
                word : "k"                      ; {"term": {"word": {"value": "k", "case_insensitive": true}}}
                word : "\u03c3"                 ; {"term": {"word": {"value": "\u03c3", "case_insensitive": true}}}
                word in~ ("\u00c9", "b")        ; {"bool": {"should": [{"term": {"word": {"value": "\u00c9", "case_insensitive": true}}}, {"term": {"word": {"value": "b", "case_insensitive": true}}}]}}
                word like~ "foo*"               ; {"wildcard": {"word": {"value": "foo*", "case_insensitive": true}}}
                word : "*\u00c9"                ; {"wildcard": {"word": {"value": "*\u00c9", "case_insensitive": true}}}
                word : "?bc"                    ; {"wildcard": {"word": {"value": "?bc", "case_insensitive": true}}}
                startsWith~(word, "\u00c9")     ; {"prefix": {"word": {"value": "\u00c9", "case_insensitive": true}}}
                endsWith~(word, "BC")           ; {"wildcard": {"word": {"value": "*BC", "case_insensitive": true}}}
                stringContains~(word, "\u03a3") ; {"wildcard": {"word": {"value": "*\u03a3*", "case_insensitive": true}}}
                """)
        void theTermQueriesFoldAsTheClusterDoes(String condition, String clusterQuery) {
            String query = "process where " + condition;
            assertEquals(
                    clusterIds(clusterQuery),
                    new java.util.TreeSet<>(eqlwatch(query, null, WORDS).flatIds()),
                    query);
        }

        private java.util.SortedSet<String> clusterRegexp(String pattern, boolean caseInsensitive) {
            ObjectNode query = JSON.objectNode();
            ObjectNode body = query.putObject("regexp").putObject("word").put("value", pattern);
            if (caseInsensitive) {
                body.put("case_insensitive", true);
            }
            return clusterIds(query.toString());
        }

        private java.util.SortedSet<String> clusterIds(String queryJson) {
            try {
                var response = ES.client()
                        .search(
                                s -> s.index(WORDS)
                                        .size(WORD_VALUES.size())
                                        .query(q -> q.withJson(new java.io.StringReader(queryJson))),
                                Object.class);
                java.util.SortedSet<String> ids = new java.util.TreeSet<>();
                response.hits().hits().forEach(hit -> ids.add(hit.id()));
                return ids;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    // ------------------------------------------------------------------ eqlwatch's answer

    /** The events of each result by id, in order ("missing" for a missing-event stage), and the join keys of each. */
    record Answer(List<List<String>> events, List<List<String>> joinKeys) {
        List<String> flatIds() {
            return events.stream().flatMap(List::stream).toList();
        }
    }

    private static List<String> split(String text, String separator) {
        return text == null || text.isBlank()
                ? List.of()
                : Arrays.stream(text.split(separator)).map(String::trim).toList();
    }

    private static FieldTypes types(String... indices) {
        return new FieldMappings(ES.client(), ES.url()).read(List.of(indices));
    }

    /** What eqlwatch answers, reading as a rule run does: mappings, plan (push-down filter), paged read, engine. */
    private static Answer eqlwatch(String text, String tiebreaker, String... indices) {
        Query query;
        try {
            query = EqlParser.parse(text);
        } catch (EqlSyntaxException e) {
            throw new AssertionError("eqlwatch refuses what Elasticsearch accepts: " + text + ": " + e.getMessage(), e);
        }
        FieldTypes types = types(indices);
        List<Problem> problems = Verifier.verify(query, types);
        assertTrue(problems.isEmpty(), "eqlwatch refuses what Elasticsearch accepts: " + text + ": " + problems);
        QueryPlan plan = Planner.plan(query, types, Evaluator.DEFAULT_CATEGORY_FIELD);
        List<Match> matches = new WindowDetection(new EventReader(ES.client(), ES.url()), ReadRequest.DEFAULT_PAGE_SIZE)
                .detect(
                        plan,
                        new ReadSpec(List.of(indices), "@timestamp", null, tiebreaker),
                        new TimeWindow(Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:00:00Z")))
                .matches();
        List<List<String>> events = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>();
        for (Match match : matches) {
            List<String> ids = new ArrayList<>();
            for (Event event : match.stageEvents()) {
                ids.add(event == null ? "missing" : event.id());
            }
            events.add(ids);
            keys.add(match.joinKeys().stream().map(k -> String.valueOf(k)).toList());
        }
        return new Answer(events, keys);
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

    /** Elasticsearch's data/extra.data (x-pack/plugin/eql/qa/common). */
    private static List<Map<String, Object>> extraData() {
        return parse(EXTRA_DATA);
    }

    private static final String EXTRA_DATA =
            """
            [
             {"@timestamp": "1", "event_type": "REQUEST", "transID": [1234, 599999], "sequence": 1, "tags": ["tag1", "tag2"]},
             {"@timestamp": "2", "event_type": "ERROR", "transID": 1234, "sequence": 2, "tags": "tag1"},
             {"@timestamp": "3", "event_type": "STAT", "transID": [1234, 9876554], "sequence": 3, "tags": ["tag3", "tag4"]},
             {"@timestamp": "10", "event_type": "REQUEST", "transID": 1235, "sequence": 4, "tags": ["tag3", "tag4"],
              "items": ["item1", "item2", "item3"]},
             {"@timestamp": "11", "event_type": "ERROR", "transID": 1235, "sequence": 5},
             {"@timestamp": "11", "event_type": "STAT", "transID": 1235, "sequence": 6},
             {"@timestamp": "100", "event_type": "OPTIONAL", "optional_field_default_null": null, "sequence": 7},
             {"@timestamp": "101", "event_type": "OPTIONAL", "sequence": 8, "transID": 1235},
             {"@timestamp": "102", "event_type": "OPTIONAL", "optional_field_default_null": null, "sequence": 9},
             {"@timestamp": "1", "event_type": "process", "transID": 1, "process.pid": 123, "sequence": 10, "tags": "tag6",
              "optional_tags": ["tag1", null, null], "date_tags": "1970-01-01T00:00:00.000Z"},
             {"@timestamp": "1", "event_type": "process", "transID": 2, "sequence": 11, "tags": ["tag5", "tag6"],
              "optional_tags": [null], "date_tags": "1970-01-05T00:00:00.000Z"},
             {"@timestamp": "2", "event_type": "process", "transID": 2, "process.pid": 123, "sequence": 12,
              "tags_with_duplicates": ["tag1", "tag1", "tag2"], "date_tags": "1970-01-01T00:00:00.000Z"},
             {"@timestamp": "3", "event_type": "file", "transID": 0, "process.pid": 123, "sequence": 13,
              "tags_with_duplicates": ["tag1", "tag2", "tag2"]},
             {"@timestamp": "4", "event_type": "file", "transID": 0, "process.pid": 123, "sequence": 14,
              "tags_unordered": ["tag5", "tag1", "tag2"]},
             {"@timestamp": "5", "event_type": "file", "transID": 0, "process.pid": 123, "sequence": 15,
              "tags_unordered": ["tag7", "tag1", "tag5"]},
             {"@timestamp": "6", "event_type": "file", "transID": 0, "sequence": 16, "tags_with_null": ["tag1", null, "tag2"]},
             {"@timestamp": "6", "event_type": "file", "transID": 0, "sequence": 17, "tags_with_null": null},
             {"@timestamp": "7", "event_type": "process", "transID": 2, "process.entity_id": 512, "process.pid": 123,
              "sequence": 18, "tags_with_null": [null], "optional_tags": "tag10"},
             {"@timestamp": "8", "event_type": "file", "transID": 0, "process.entity_id": 512, "process.pid": 123,
              "sequence": 19, "tags_with_null": ["tag1"]},
             {"@timestamp": "9", "event_type": "file", "transID": 0, "process.entity_id": 512, "process.pid": 123,
              "sequence": 20, "tags_with_null": "tag2", "date_tags": "1970-01-01T00:00:00.000Z"},
             {"@timestamp": "10", "event_type": "file", "transID": 0, "process.entity_id": 512, "process.pid": 123,
              "sequence": 21, "date_tags": ["1970-01-01T00:00:00.000Z", "1970-01-02T00:00:00.000Z"]},
             {"@timestamp": "11", "event_type": "file", "transID": 0, "process.entity_id": 512, "process.pid": 123,
              "sequence": 22, "tags": [], "date_tags": ["1970-08-01T00:00:00.000Z", "1970-01-02T00:00:00.000Z"]},
             {"@timestamp": "12", "event_type": "file", "transID": 0, "process.entity_id": 512, "process.pid": 123,
              "sequence": 23, "tags": ["tag1", "tag3", "tag4"], "items": ["item0", "item1", "item2"]}
            ]""";

    private static List<Map<String, Object>> parse(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(json, new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
