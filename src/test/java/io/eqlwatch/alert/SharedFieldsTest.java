package io.eqlwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedFieldsTest {

    private static ObjectNode object(String json) {
        return (ObjectNode) JsonAssert.parse(json);
    }

    private static String shared(String... documents) {
        return SharedFields.intersect(java.util.Arrays.stream(documents)
                        .map(SharedFieldsTest::object)
                        .toList())
                .toString();
    }

    @Test
    void equalValuesStayAndDifferentOnesGo() {
        assertEquals("{\"a\":1,\"c\":\"x\"}", shared("{\"a\":1,\"b\":2,\"c\":\"x\"}", "{\"a\":1,\"b\":3,\"c\":\"x\"}"));
    }

    @Test
    void aNumberNeverEqualsAStringButIntegerWidthsDoNotMatter() {
        ObjectNode asInt = object("{}").put("pid", 4).put("port", 445);
        ObjectNode asLong = object("{}").put("pid", 4L).put("port", "445");
        assertEquals(
                "{\"pid\":4}", SharedFields.intersect(List.of(asInt, asLong)).toString());
    }

    @Test
    void objectsIntersectKeyByKeyAndEmptyOnesDisappear() {
        assertEquals(
                "{\"host\":{\"name\":\"W\",\"os\":{\"type\":\"windows\"}}}",
                shared(
                        "{\"host\":{\"name\":\"W\",\"ip\":\"1.1.1.1\",\"os\":{\"type\":\"windows\",\"version\":\"10\"}},\"file\":{\"name\":\"a\"}}",
                        "{\"host\":{\"name\":\"W\",\"ip\":\"2.2.2.2\",\"os\":{\"type\":\"windows\",\"version\":\"11\"}},\"file\":{\"name\":\"b\"}}"));
    }

    @Test
    void arraysKeepCommonElementsAndAScalarCountsAsAOneElementArray() {
        assertEquals(
                "{\"a\":[3,4],\"b\":[\"x\"]}",
                shared(
                        "{\"a\":[3,4,5],\"b\":\"x\",\"c\":[\"network\"]}",
                        "{\"a\":[1,2,3,4],\"b\":[\"x\",\"y\"],\"c\":\"file\"}"));
    }

    @Test
    void threeDocumentsShareOnlyWhatAllThreeHave() {
        assertEquals("{\"a\":1}", shared("{\"a\":1,\"b\":1}", "{\"a\":1,\"b\":1}", "{\"a\":1}"));
    }

    @Test
    void oneDocumentSharesEverythingAndNoneShareNothing() {
        assertEquals("{\"a\":[1,2]}", shared("{\"a\":[1,2]}"));
        assertEquals("{}", SharedFields.intersect(List.of()).toString());
    }
}
