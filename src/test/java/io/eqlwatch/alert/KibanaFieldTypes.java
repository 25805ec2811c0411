package io.eqlwatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** How a document field is indexed under a mapping given as dotted path to field mapping. */
final class KibanaFieldTypes {

    private KibanaFieldTypes() {}

    /**
     * The mapping a document's leaf value gets: its own field's, or that of the flattened field
     * it lies within; {@code null} when nothing maps it (with {@code dynamic: false} it then
     * stays in {@code _source} only: returned, not searchable).
     */
    static JsonNode specOf(Map<String, JsonNode> mapped, String path) {
        JsonNode spec = mapped.get(path);
        if (spec != null) {
            return spec;
        }
        for (String candidate = path; candidate.contains("."); ) {
            candidate = candidate.substring(0, candidate.lastIndexOf('.'));
            JsonNode parent = mapped.get(candidate);
            if (parent != null && "flattened".equals(parent.path("type").asText())) {
                return parent;
            }
        }
        return null;
    }
}
