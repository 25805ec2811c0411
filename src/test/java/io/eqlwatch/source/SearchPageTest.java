package io.eqlwatch.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.SlotLayout;
import io.eqlwatch.event.SlottedSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchPageTest {

    private static SearchPage parse(String json) throws IOException {
        return SearchPage.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String response(String... hits) {
        return """
                {"pit_id":"p2","took":3,"timed_out":false,
                 "_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
                 "hits":{"max_score":null,"hits":[%s]}}"""
                .formatted(String.join(",", hits));
    }

    private static String hit(String id, String source) {
        return "{\"_index\":\"logs-a\",\"_id\":\"" + id + "\",\"_score\":null,\"_source\":" + source
                + ",\"sort\":[\"2024-05-01T10:00:00.000Z\",7,12]}";
    }

    private static String nested(int depth) {
        return "{\"d\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    @Test
    void decodesEachHitsIndexIdSourceAndSortValues() throws IOException {
        SearchPage page = parse(response(hit("a", "{\"host\":{\"id\":\"h1\"},\"n\":1}")));

        assertEquals("p2", page.pitId());
        assertEquals(0, page.failedShards());
        SearchPage.Hit hit = page.hits().get(0);
        assertEquals("logs-a", hit.index());
        assertEquals("a", hit.id());
        assertEquals(Map.of("host", Map.of("id", "h1"), "n", 1), hit.source());
        assertEquals(List.of("2024-05-01T10:00:00.000Z", 7L, 12L), hit.sort());
        assertNull(hit.problem());
    }

    @Test
    void sourceValuesAreTheGenericJsonMappingsValuesExactly() throws IOException {
        String source =
                """
                {"a.b":"dotted","a":{"b":"nested","c":[1,[2,null],{"d":true}]},"none":null,
                 "big":12345678901234567890,"long":12345678901,"float":1.5,"empty":[],"obj":{}}""";
        ObjectMapper generic = new ObjectMapper();

        Map<String, Object> decoded =
                parse(response(hit("a", source))).hits().get(0).source();

        assertEquals(generic.readValue(source, Map.class), decoded);
        assertEquals(new BigInteger("12345678901234567890"), decoded.get("big"));
        assertEquals(12345678901L, decoded.get("long"));
        assertTrue(decoded.containsKey("none") && decoded.get("none") == null);
        Event event = new Event("a", "logs-a", java.time.Instant.EPOCH, null, decoded);
        assertEquals(List.of("dotted", "nested"), event.values("a.b"));
        assertEquals(List.of(1, 2, Map.of("d", true)), event.values("a.c"));
        assertEquals(List.of(true), event.values("a.c.d"));
    }

    @Test
    void aHitNestedTooDeepIsMarkedAndTheHitsAroundItAreDecoded() throws IOException {
        SearchPage page =
                parse(response(hit("before", "{\"n\":1}"), hit("deep", nested(1_000)), hit("after", "{\"n\":2}")));

        assertEquals(
                List.of("before", "deep", "after"),
                page.hits().stream().map(SearchPage.Hit::id).toList());
        SearchPage.Hit deep = page.hits().get(1);
        assertTrue(deep.problem().contains("deeper than " + SearchPage.MAX_SOURCE_DEPTH), deep.problem());
        assertEquals(Map.of(), deep.source());
        assertEquals(
                List.of("2024-05-01T10:00:00.000Z", 7L, 12L), deep.sort(), "its sort values still resume the read");
        assertEquals(Map.of("n", 2), page.hits().get(2).source());
    }

    @Test
    void depthIsCountedThroughArraysAsWellAsObjects() throws IOException {
        String arrays =
                "{\"a\":" + "[".repeat(SearchPage.MAX_SOURCE_DEPTH) + "]".repeat(SearchPage.MAX_SOURCE_DEPTH) + "}";
        String atLimit = nested(SearchPage.MAX_SOURCE_DEPTH);

        SearchPage page = parse(response(hit("arrays", arrays), hit("limit", atLimit)));

        assertTrue(page.hits().get(0).problem() != null);
        assertNull(page.hits().get(1).problem(), "a source exactly at the limit is fine");
    }

    @Test
    void aHitWithoutSourceHasAnEmptyOne() throws IOException {
        SearchPage page = parse(response("{\"_index\":\"i\",\"_id\":\"x\",\"sort\":[1]}"));

        assertEquals(Map.of(), page.hits().get(0).source());
        assertEquals(List.of(1L), page.hits().get(0).sort());
    }

    @Test
    void shardFailuresAreReported() throws IOException {
        SearchPage page = parse(
                """
                {"_shards":{"total":2,"successful":1,"failed":1,"failures":[{"shard":0,"reason":"boom"}]},
                 "hits":{"hits":[]}}""");

        assertEquals(1, page.failedShards());
        assertTrue(page.shardFailures().contains("boom"));
        assertEquals(List.of(), page.hits());
    }

    @Test
    void aTruncatedResponseIsAnIoErrorSoTheSearchIsRetried() {
        String whole = response(hit("a", "{\"n\":1}"));
        assertThrows(IOException.class, () -> parse(whole.substring(0, whole.length() - 10)));
        assertThrows(IOException.class, () -> parse("[]"));
    }

    private static SearchPage parse(String json, String... fields) throws IOException {
        return SearchPage.parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), SlotLayout.of(List.of(fields)));
    }

    @Test
    void withALayoutEachFieldIsDecodedIntoItsSlotNestedAndDottedKeysComposingOnePath() throws IOException {
        String source =
                """
                {"a":{"b.c":1,"b":{"c":[2,[3]]}},"a.b":[{"c":4},{"c":null},"not an object"],"skipped":{"a":{"b":9}}}""";

        Map<String, Object> decoded = parse(response(hit("a", source)), "a.b.c", "absent")
                .hits()
                .get(0)
                .source();

        SlottedSource slots = assertInstanceOf(SlottedSource.class, decoded);
        Event event = new Event("a", "logs-a", java.time.Instant.EPOCH, null, decoded);
        // FieldPath's order: in each object the key completing the name first, then the shorter keys first.
        assertEquals(List.of(1, 2, 3, 4), event.values("a.b.c"));
        assertEquals(List.of(1, 2, 3, 4, "none"), slots.values(slots.layout().slot("a.b.c"), "none"));
        assertEquals(List.of(), event.values("absent"));
        assertEquals(List.of(), event.values("skipped.a.b"), "a field outside the layout was not read");
    }

    @Test
    void aSlottedEventsSourceIsAMapOfTheFieldsRead() throws IOException {
        String source = "{\"host\":{\"name\":\"h1\",\"ip\":[\"10.0.0.1\",\"::1\"]},\"n\":null,\"other\":1}";

        Map<String, Object> decoded = parse(response(hit("a", source)), "host.name", "host.ip", "n")
                .hits()
                .get(0)
                .source();

        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("host", Map.of("ip", List.of("10.0.0.1", "::1"), "name", "h1"));
        expected.put("n", null);
        assertEquals(expected, decoded);
    }

    @Test
    void withALayoutAHitNestedTooDeepIsMarkedAndTheHitsAroundItAreDecoded() throws IOException {
        String deepInASlot = "{\"n\":" + nested(1_000) + "}";
        SearchPage page = parse(
                response(
                        hit("before", "{\"n\":1}"),
                        hit("deep", nested(1_000)),
                        hit("deepInASlot", deepInASlot),
                        hit("after", "{\"n\":2}")),
                "n");

        assertEquals(
                List.of("before", "deep", "deepInASlot", "after"),
                page.hits().stream().map(SearchPage.Hit::id).toList());
        for (SearchPage.Hit deep : page.hits().subList(1, 3)) {
            assertTrue(deep.problem().contains("deeper than " + SearchPage.MAX_SOURCE_DEPTH), deep.id());
            assertEquals(List.of("2024-05-01T10:00:00.000Z", 7L, 12L), deep.sort());
        }
        Event after = new Event(
                "after",
                "logs-a",
                java.time.Instant.EPOCH,
                null,
                page.hits().get(3).source());
        assertEquals(List.of(2), after.values("n"));
    }

    private static java.util.Optional<SearchPage.Tail> tail(String json) {
        return SearchPage.tail(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String hitSortedBy(String id, String source, String sort) {
        return "{\"_index\":\"logs-a\",\"_id\":\"" + id + "\",\"_score\":null,\"_source\":" + source + ",\"sort\":"
                + sort + "}";
    }

    @Test
    void theTailGivesThePitAndTheLastHitsSortAsDecodingTheWholePageDoes() throws IOException {
        String json = response(
                hitSortedBy("a", "{\"n\":1}", "[\"2024-05-01T10:00:00.000Z\",7,12]"),
                hitSortedBy("b", "{\"n\":2}", "[\"2024-05-01T10:00:01.000Z\",8,12345678901]"));

        SearchPage.Tail tail = tail(json).orElseThrow();

        assertEquals("p2", tail.pitId());
        assertEquals(List.of("2024-05-01T10:00:01.000Z", 8L, 12345678901L), tail.lastSort());
        assertEquals(parse(json).hits().get(1).sort(), tail.lastSort());
    }

    @Test
    void sortKeysAndLookalikeTextInsideTheLastSourceDoNotFoolTheTail() throws IOException {
        String[] sources = {
            "{\"sort\":[1,2]}",
            "{\"x\":[{\"sort\":[\"a\"]}]}",
            "{\"text\":\",\\\"sort\\\":[\\\"z\\\"]}]}}\"}",
            "{\"a\":{\"b\":[{\"c\":{\"sort\":[]}}],\"sort\":[null]}}"
        };
        for (String source : sources) {
            String json = response(hitSortedBy("a", "{}", "[1]"), hitSortedBy("b", source, "[\"t\\\"x\",null,3]"));
            assertEquals(
                    parse(json).hits().get(1).sort(), tail(json).orElseThrow().lastSort(), source);
        }
    }

    @Test
    void randomSourcesAndSortValuesGiveTheTailTheFullDecodeGives() throws IOException {
        ObjectMapper json = new ObjectMapper();
        java.util.Random random = new java.util.Random(11);
        String[] keys = {"sort", "a", "sort\"", ",\"sort\":[", "_source", "}]"};
        for (int round = 0; round < 500; round++) {
            Map<String, Object> source = new java.util.LinkedHashMap<>();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                Object value =
                        switch (random.nextInt(4)) {
                            case 0 -> List.of(Map.of(keys[random.nextInt(keys.length)], List.of(random.nextInt())));
                            case 1 -> keys[random.nextInt(keys.length)] + "]}]";
                            case 2 -> Map.of("sort", List.of("x", random.nextLong()));
                            default -> random.nextDouble();
                        };
                source.put(keys[random.nextInt(keys.length)] + k, value);
            }
            List<Object> sort = List.of(
                    "2024-05-01T10:00:0" + random.nextInt(10) + "Z",
                    random.nextBoolean() ? keys[random.nextInt(keys.length)] : random.nextLong());
            String json1 = response(
                    hitSortedBy("a", "{}", "[0]"),
                    hitSortedBy("b", json.writeValueAsString(source), json.writeValueAsString(sort)));
            assertEquals(
                    parse(json1).hits().get(1).sort(), tail(json1).orElseThrow().lastSort(), json1);
        }
    }

    @Test
    void noTailWithoutHitsOrWhenTheResponseIsNotShapedAsElasticsearchWritesIt() {
        assertTrue(tail(response()).isEmpty());
        String whole = response(hit("a", "{\"n\":1}"));
        assertTrue(tail(whole.substring(0, whole.length() - 4)).isEmpty(), "truncated");
        assertTrue(tail(whole.replace("12]}", "12] }")).isEmpty(), "not compact after the sort");
        assertTrue(tail(whole.replace(",12]", ",{\"x\":1}]")).isEmpty(), "an object is no sort value");
        assertNull(tail(response(hit("a", "{}")).replace("\"pit_id\":\"p2\",", ""))
                .orElseThrow()
                .pitId());
    }
}
