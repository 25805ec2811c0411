package io.eqlwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldPathTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @SuppressWarnings("unchecked")
    private static List<Object> plain(String document, String field) throws Exception {
        return FieldPath.of(field).values(JSON.readValue(document, Map.class));
    }

    private static List<Object> tree(String document, String field) throws Exception {
        List<Object> out = new java.util.ArrayList<>();
        for (JsonNode node : FieldPath.of(field).values(JSON.readTree(document))) {
            out.add(JSON.treeToValue(node, Object.class));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "host.os.type | {\"host\":{\"os\":{\"type\":\"w\"}}}                     | [w]",
                "host.os.type | {\"host.os.type\":\"w\"}                                 | [w]",
                "host.os.type | {\"host.os\":{\"type\":\"w\"}}                           | [w]",
                "host.os.type | {\"host\":{\"os.type\":\"w\"}}                           | [w]",
                "host.os.type | {\"host\":{\"os\":{\"type\":\"a\"}},\"host.os.type\":\"b\"} | [b, a]",
                "a.b          | {\"a\":[{\"b\":1},{\"b\":[2,[3,null]]},{\"c\":4}]}        | [1, 2, 3]",
                "a.b          | {\"a\":{\"b\":null}}                                     | []",
                "a.b          | {\"a\":\"text\"}                                         | []",
                "a            | {\"a\":[]}                                               | []",
                "missing      | {\"a\":1}                                                | []",
            })
    void resolvesNestedObjectsDottedKeysAndArraysAlikeInBothTreeShapes(String field, String document, String expected)
            throws Exception {
        assertEquals(expected, plain(document, field).toString());
        assertEquals(expected, tree(document, field).toString());
    }

    @Test
    void anObjectValuedFieldIsALeafOfItsOwn() throws Exception {
        assertEquals(List.of(Map.of("d", true)), plain("{\"a\":{\"c\":[{\"d\":true}]}}", "a.c"));
    }

    @Test
    void pathsAreSharedAndEventsResolveThroughThem() {
        assertSame(FieldPath.of("process.pid"), FieldPath.of("process.pid"));
        Event event = new Event(
                "1", "i", java.time.Instant.EPOCH, null, Map.of("process", Map.of("pid", 4), "process.pid", 5));
        assertEquals(List.of(5, 4), event.values("process.pid"));
        assertEquals(5, event.first("process.pid"));
    }

    /** Elasticsearch indexes an explicit null of a field with {@code null_value} as that value; a missing field stays missing. */
    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a.b | {\"a\":{\"b\":null}}             | [NULL]",
                "a.b | {\"a.b\":null}                     | [NULL]",
                "a.b | {\"a\":{\"b\":[1,null,[null,2]]}} | [1, NULL, NULL, 2]",
                "a.b | {\"a\":[{\"b\":null},{\"c\":1}]} | [NULL]",
                "a.b | {\"a\":{\"c\":null}}             | []",
                "a.b | {\"a\":null}                       | []",
                "a.b | {\"a\":{\"b\":3}}                | [3]",
            })
    @SuppressWarnings("unchecked")
    void anExplicitNullReadsAsTheMappingsNullValue(String field, String document, String expected) throws Exception {
        assertEquals(
                expected,
                FieldPath.of(field)
                        .values(JSON.readValue(document, Map.class), "NULL")
                        .toString());
        assertEquals(plain(document, field), FieldPath.of(field).values(JSON.readValue(document, Map.class), null));
    }
}
