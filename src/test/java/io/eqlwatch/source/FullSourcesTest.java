package io.eqlwatch.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FullSourcesTest {

    private static Map<String, Map<String, Object>> parse(String json) throws IOException {
        return FullSources.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void keepsTheFoundDocumentsSourcesByIndexAndId() throws IOException {
        String deep = "{\"d\":".repeat(999) + "{}" + "}".repeat(999);
        Map<String, Map<String, Object>> sources = parse(
                """
                {"docs":[
                 {"_index":"a","_id":"1","_version":1,"found":true,"_source":{"host":{"name":"h"},"n":[1,2]}},
                 {"_index":"a","_id":"2","found":false},
                 {"_index":"b","_id":"1","found":true,"_source":%s},
                 {"_index":"b","_id":"3","found":true,"_source":{"x":null}}]}"""
                        .formatted(deep));

        assertEquals(Set.of("a\u00001", "b\u00003"), sources.keySet(), "gone and too deep are left out");
        assertEquals(Map.of("host", Map.of("name", "h"), "n", List.of(1, 2)), sources.get("a\u00001"));
        assertEquals(1, sources.get("b\u00003").size());
    }

    @Test
    void aResponseThatIsNoObjectIsAnIoError() {
        assertThrows(IOException.class, () -> parse("[1]"));
    }

    @Test
    void aReadRequestAlwaysFetchesTheFieldsItOrdersAndSelectsBy() {
        ReadRequest request = ReadRequest.of(List.of("logs-*"), null, Instant.EPOCH, Instant.EPOCH)
                .withTiebreakerField("event.sequence")
                .withRangeField("event.ingested")
                .withSourceFields(List.of("process.pid"));

        assertEquals(Set.of("process.pid", "@timestamp", "event.ingested", "event.sequence"), request.sourceFields());
        assertEquals(null, request.withSourceFields(null).sourceFields());
    }
}
