package io.eqlwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.demo.DefendDataset;
import io.eqlwatch.demo.DefendIndexTemplates;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The field types the Elastic Defend-like templates map, merged over the file and network datasets as the
 * field-capabilities API merges indices (a field typed differently in two becomes {@link FieldType#UNKNOWN}).
 * The in-memory benchmark evaluates with these, so values compare as they would after a read from
 * Elasticsearch (e.g. {@code source.ip} as an ip, {@code process.pid} as a long).
 */
public final class DefendFieldTypes {

    private DefendFieldTypes() {}

    public static FieldTypes of() {
        Map<String, FieldType> types = new HashMap<>();
        for (DefendDataset dataset : DefendDataset.values()) {
            collect("", DefendIndexTemplates.mappings(dataset).path("properties"), types);
        }
        return new FieldTypes(types);
    }

    private static void collect(String prefix, JsonNode properties, Map<String, FieldType> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix + field.getKey();
            JsonNode spec = field.getValue();
            if (spec.has("properties")) {
                collect(path + ".", spec.get("properties"), out);
                continue;
            }
            FieldType type = FieldType.fromMapping(spec.path("type").asText(null));
            out.merge(path, type, (a, b) -> a == b ? a : FieldType.UNKNOWN);
        }
    }
}
