package io.eqlwatch.eql;

import static io.eqlwatch.eql.TestEvents.event;
import static io.eqlwatch.eql.TestEvents.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Elasticsearch rules that are not spelled out in the EQL reference but follow from how it runs a
 * query: a comparison of a field with a constant is a term/terms/range/wildcard query, {@code !=},
 * {@code not in} and {@code not} are {@code must_not}, and a field's values are indexed as its
 * mapped type.
 */
class EvaluatorTest {

    private static EventQuery query(String text) {
        return (EventQuery) EqlParser.parse(text).body();
    }

    private static boolean matches(String query, String json) {
        return new Evaluator().matches(query(query), event(json));
    }

    private static boolean matches(String query, String json, FieldTypes types) {
        return new Evaluator(types).matches(query(query), event(json));
    }

    @Nested
    class EventCategory {

        @Test
        void categoryIsATermQueryOnTheCategoryField() {
            assertTrue(matches("process where true", "{\"event\": {\"category\": \"process\"}}"));
            assertFalse(matches("process where true", "{\"event\": {\"category\": \"Process\"}}"), "case-sensitive");
            assertFalse(matches("process where true", "{}"));
        }

        @Test
        void anyElementOfAnArrayCategoryMatches() {
            // issue 2: event.category may be an array (Elastic Defend writes ["network"]); any element matches
            assertTrue(matches("file where true", "{\"event\": {\"category\": [\"network\", \"file\"]}}"));
        }

        @Test
        void dottedKeysAndNestedObjectsBothResolve() {
            assertTrue(matches("file where true", "{\"event.category\": \"file\"}"));
            assertTrue(matches("file where a.b == 1", "{\"event.category\": \"file\", \"a\": {\"b\": 1}}"));
            assertTrue(matches("file where a.b == 1", "{\"event.category\": \"file\", \"a.b\": 1}"));
        }

        @Test
        void anyMatchesEventsWithoutCategory() {
            // Syntax reference: "You can also use the any keyword to search for documents without a event category
            // field."
            assertTrue(matches("any where true", "{}"));
        }

        @Test
        void customCategoryField() {
            Evaluator evaluator = new Evaluator(FieldTypes.NONE, "kind");
            assertTrue(evaluator.matches(query("\"my-kind\" where true"), event("{\"kind\": \"my-kind\"}")));
            assertFalse(evaluator.matches(
                    query("\"my-kind\" where true"), event("{\"event\": {\"category\": \"my-kind\"}}")));
        }
    }

    @Nested
    class MultiValuedFields {

        @Test
        void comparisonMatchesWhenAnyValueDoes() {
            assertTrue(matches("any where x == \"b\"", "{\"x\": [\"a\", \"b\"]}"));
            assertTrue(matches("any where x > 5", "{\"x\": [1, 9]}"));
            assertTrue(matches("any where x < 5", "{\"x\": [1, 9]}"));
            assertTrue(matches("any where x : \"B*\"", "{\"x\": [\"a\", \"bc\"]}"));
            assertTrue(matches("any where x in (\"z\", \"a\")", "{\"x\": [\"a\", \"b\"]}"));
            assertTrue(matches("any where x like \"b\"", "{\"x\": [\"a\", \"b\"]}"));
            assertTrue(matches("any where x regex \"b+\"", "{\"x\": [\"a\", \"bb\"]}"));
            assertTrue(matches("any where startsWith(x, \"b\")", "{\"x\": [\"a\", \"bb\"]}"));
            assertTrue(matches("any where cidrMatch(x, \"10.0.0.0/8\")", "{\"x\": [\"1.2.3.4\", \"10.1.1.1\"]}"));
        }

        @Test
        void notEqualIsFalseWhenAnyValueIsEqual() {
            // x != "a" runs as must_not { term: { x: "a" } }: one equal value excludes the event
            assertFalse(matches("any where x != \"a\"", "{\"x\": [\"a\", \"b\"]}"));
            assertTrue(matches("any where x != \"c\"", "{\"x\": [\"a\", \"b\"]}"));
            assertFalse(matches("any where x not in (\"a\")", "{\"x\": [\"a\", \"b\"]}"));
            assertFalse(matches("any where not x : \"A\"", "{\"x\": [\"a\", \"b\"]}"));
        }

        @Test
        void arraysOfObjectsAreFollowed() {
            assertTrue(matches(
                    "any where dll.name == \"b.dll\"", "{\"dll\": [{\"name\": \"a.dll\"}, {\"name\": \"b.dll\"}]}"));
        }

        @Test
        void aScriptReadsTheFirstDocValueWhichIsTheSmallest() {
            // Functions of fields run as Painless scripts, which read doc['x'].value: the first of the field's
            // sorted doc values. length(["bbb", "a"]) is therefore length("a").
            FieldTypes keyword = types("x", FieldType.KEYWORD);
            assertTrue(matches("any where length(x) == 1", "{\"x\": [\"bbb\", \"a\"]}", keyword));
            assertFalse(matches("any where length(x) == 3", "{\"x\": [\"bbb\", \"a\"]}", keyword));
            FieldTypes number = types("n", FieldType.LONG);
            assertTrue(matches("any where n + 1 == 3", "{\"n\": [7, 2]}", number));
        }
    }

    @Nested
    class MissingFields {

        @Test
        void notEqualOnAMissingFieldIsTrue() {
            // issue 2 and Elasticsearch: != is must_not term, which a document without the field satisfies
            assertTrue(matches("any where source.ip != \"127.0.0.1\"", "{}"));
            assertTrue(matches("any where x not in (\"a\")", "{}"));
            assertTrue(matches("any where not x : \"a\"", "{}"));
            assertTrue(matches("any where not startsWith(x, \"a\")", "{}"));
        }

        @Test
        void positiveComparisonsOnAMissingFieldAreFalse() {
            assertFalse(matches("any where x == \"a\"", "{}"));
            assertFalse(matches("any where x < 5", "{}"));
            assertFalse(matches("any where x >= 5", "{}"));
            assertFalse(matches("any where x : \"*\"", "{}"));
            assertFalse(matches("any where x in (\"a\")", "{}"));
            assertFalse(matches("any where x like \"*\"", "{}"));
            assertFalse(matches("any where x regex \".*\"", "{}"));
            assertFalse(matches("any where startsWith(x, \"\")", "{}"));
        }

        @Test
        void explicitNullAndEmptyArrayCountAsMissing() {
            assertTrue(matches("any where x == null", "{\"x\": null}"));
            assertTrue(matches("any where x == null", "{\"x\": []}"));
            assertTrue(matches("any where x != null", "{\"x\": [null, \"a\"]}"));
        }

        @Test
        void aNullScriptResultDoesNotMatchButItsNegationDoes() {
            // length(x) > 3 is a script query (null -> no match); not(...) wraps it in must_not
            assertFalse(matches("any where length(x) > 3", "{}"));
            assertTrue(matches("any where not length(x) > 3", "{}"));
        }
    }

    @Nested
    class TypeCoercion {

        @Test
        void longFieldHoldingTextEqualsTheNumber() {
            FieldTypes t = types("process.pid", FieldType.LONG);
            assertTrue(matches("any where process.pid == 4", "{\"process\": {\"pid\": \"4\"}}", t));
            assertTrue(matches("any where process.pid in (3, 4)", "{\"process\": {\"pid\": \"4\"}}", t));
            assertTrue(matches("any where process.pid == \"4\"", "{\"process\": {\"pid\": 4}}", t));
            assertTrue(matches("any where process.pid > 3.5", "{\"process\": {\"pid\": 4}}", t));
            assertFalse(matches("any where process.pid == 4.5", "{\"process\": {\"pid\": 4}}", t));
        }

        @Test
        void keywordFieldHoldingANumberIsItsText() {
            FieldTypes t = types("code", FieldType.KEYWORD);
            assertTrue(matches("any where code == \"4624\"", "{\"code\": 4624}", t));
            assertTrue(matches("any where code == 4624", "{\"code\": \"4624\"}", t));
            assertTrue(matches("any where code : \"46*\"", "{\"code\": 4624}", t));
            // keyword order is text order, not numeric
            assertTrue(matches("any where code > \"10\"", "{\"code\": \"9\"}", t));
        }

        @Test
        void ipFieldComparesAddressesNotText() {
            FieldTypes t = types("source.ip", FieldType.IP);
            assertTrue(matches("any where source.ip == \"::1\"", "{\"source\": {\"ip\": \"0:0:0:0:0:0:0:1\"}}", t));
            assertFalse(matches("any where source.ip != \"::1\"", "{\"source\": {\"ip\": \"0:0:0:0:0:0:0:1\"}}", t));
            assertTrue(
                    matches("any where source.ip == \"10.0.0.1\"", "{\"source\": {\"ip\": \"::ffff:10.0.0.1\"}}", t));
            assertTrue(
                    matches("any where source.ip in (\"::1\", \"127.0.0.1\")", "{\"source\": {\"ip\": \"0::1\"}}", t));
            assertTrue(matches("any where source.ip > \"9.255.255.255\"", "{\"source\": {\"ip\": \"10.0.0.0\"}}", t));
            assertTrue(matches(
                    "any where cidrMatch(source.ip, \"10.0.0.0/8\")",
                    "{\"source\": {\"ip\": \"::ffff:10.9.9.9\"}}",
                    t));
        }

        @Test
        void dateFieldComparesInstants() {
            FieldTypes t = types("@timestamp", FieldType.DATE);
            String json = "{\"@timestamp\": \"2024-05-01T10:00:00.000Z\"}";
            assertTrue(matches("any where @timestamp > \"2024-05-01T09:59:59Z\"", json, t));
            assertTrue(matches("any where @timestamp == \"2024-05-01T12:00:00+02:00\"", json, t));
            assertTrue(matches("any where @timestamp == 1714557600000", json, t));
            assertTrue(matches("any where @timestamp < \"2024-05-02\"", json, t));
        }

        @Test
        void booleanField() {
            FieldTypes t = types("flag", FieldType.BOOLEAN);
            assertTrue(matches("any where flag == true", "{\"flag\": \"true\"}", t));
            assertTrue(matches("any where flag", "{\"flag\": true}", t));
            assertFalse(matches("any where flag", "{\"flag\": false}", t));
        }

        @Test
        void unmappedFieldsCompareByJsonTypeSensibly() {
            assertTrue(matches("any where n == 4", "{\"n\": 4.0}"));
            assertTrue(matches("any where n == 4", "{\"n\": \"4\"}"));
            assertFalse(matches("any where n == 4", "{\"n\": \"four\"}"));
            assertTrue(matches("any where n < 10", "{\"n\": 9}"), "numbers compare numerically");
            assertTrue(matches("any where s == \"::1\"", "{\"s\": \"0:0:0:0:0:0:0:1\"}"), "IPv6 spellings");
            assertTrue(matches("any where b == true", "{\"b\": true}"));
        }
    }

    @Nested
    class JoinValues {

        private final Evaluator evaluator = new Evaluator(types("n", FieldType.LONG, "ip", FieldType.IP));

        @Test
        void oneEntryPerDistinctValue() {
            assertEquals(
                    List.of("a", "b"),
                    evaluator.joinValues(new Expr.Field("k", false), event("{\"k\": [\"a\", \"b\", \"a\"]}")));
        }

        @Test
        void missingKeyGivesNoEntryUnlessOptional() {
            // Syntax reference, "Optional by fields": "To allow null join keys, use the ? operator"
            assertEquals(List.of(), evaluator.joinValues(new Expr.Field("k", false), event("{}")));
            assertEquals(Arrays.asList((Object) null), evaluator.joinValues(new Expr.Field("k", true), event("{}")));
            assertEquals(List.of("x"), evaluator.joinValues(new Expr.Field("k", true), event("{\"k\": \"x\"}")));
        }

        @Test
        void valuesTakeTheMappedType() {
            assertEquals(List.of(4L), evaluator.joinValues(new Expr.Field("n", false), event("{\"n\": \"4\"}")));
            assertEquals(
                    List.of("::1"), evaluator.joinValues(new Expr.Field("ip", false), event("{\"ip\": \"0:0::1\"}")));
        }

        @Test
        void onlyFieldsCanBeKeys() {
            assertThrows(IllegalArgumentException.class, () -> evaluator.joinValues(new Expr.Literal(1L), event("{}")));
        }
    }

    @Test
    void longOrChainsOfIndicatorsDoNotRecursePerTerm() {
        StringBuilder q = new StringBuilder("any where ");
        for (int i = 0; i < 20_000; i++) {
            q.append(i == 0 ? "" : " or ").append("x == \"ioc").append(i).append('"');
        }
        EventQuery query = query(q.toString());
        Evaluator evaluator = new Evaluator();
        assertTrue(evaluator.matches(query, event("{\"x\": \"ioc19999\"}")));
        assertFalse(evaluator.matches(query, event("{\"x\": \"other\"}")));
    }

    @Test
    void compiledQueriesAreReusedPerQueryInstance() {
        Evaluator evaluator = new Evaluator();
        EventQuery q = query("any where x == 1");
        CompiledEventQuery compiled = evaluator.compile(q);
        assertSame(q, compiled.query());
        assertTrue(compiled.matches(event("{\"x\": 1}")));
        assertTrue(evaluator.matches(q, event("{\"x\": 1}")));
    }
}
