package io.eqlwatch.alert;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Compares a document with an expectation key by key and reports every difference by path. */
final class JsonAssert {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonAssert() {}

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("expected JSON in the test does not parse: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Fails unless {@code actual} has exactly the keys of {@code expectedJson} (flat and nested
     * keys as written) with the same values. The actual document goes through its JSON text first,
     * so what is compared is what Elasticsearch would receive.
     */
    static void assertDocument(String expectedJson, JsonNode actual) {
        JsonNode expected = parse(expectedJson);
        JsonNode written;
        try {
            written = MAPPER.readTree(MAPPER.writeValueAsString(actual));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
        List<String> differences = new ArrayList<>();
        compare("", expected, written, differences);
        if (!differences.isEmpty()) {
            fail(differences.size() + " difference(s):\n  " + String.join("\n  ", differences));
        }
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isObject() && actual.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = path.isEmpty() ? field.getKey() : path + " > " + field.getKey();
                JsonNode other = actual.get(field.getKey());
                if (other == null) {
                    out.add("missing " + child + " (expected " + field.getValue() + ")");
                } else {
                    compare(child, field.getValue(), other, out);
                }
            }
            actual.fieldNames().forEachRemaining(name -> {
                if (!expected.has(name)) {
                    out.add("unexpected " + (path.isEmpty() ? name : path + " > " + name) + " = " + actual.get(name));
                }
            });
        } else if (!expected.equals(actual)) {
            out.add(path + ": expected " + expected + " but was " + actual);
        }
    }
}
