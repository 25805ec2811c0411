package io.eqlwatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.event.FieldPath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Field lookup in an alert document under construction, where {@code kibana.alert.*} keys are
 * flat and event fields are nested objects: {@code host.name} resolves from either shape, as in
 * Elasticsearch ({@link FieldPath}), and the document's leaf paths.
 */
public final class DocumentFields {

    private DocumentFields() {}

    /** Every leaf value of {@code path}, arrays flattened; empty when the field is missing or null. */
    static List<JsonNode> values(JsonNode document, String path) {
        return FieldPath.of(path).values(document);
    }

    /** Every leaf path of a document with dotted keys joined, e.g. {@code host.os.type}. */
    public static List<String> leafPaths(JsonNode document) {
        List<String> out = new ArrayList<>();
        walk("", document, out);
        return out;
    }

    private static void walk(String prefix, JsonNode node, List<String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                walk(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), out);
            }
        } else if (node.isArray()) {
            boolean objects = false;
            for (JsonNode element : node) {
                if (element.isObject()) {
                    objects = true;
                    walk(prefix, element, out);
                }
            }
            if (!objects && !out.contains(prefix)) {
                out.add(prefix);
            }
        } else if (!out.contains(prefix)) {
            out.add(prefix);
        }
    }
}
