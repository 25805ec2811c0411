package io.eqlwatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** The explicitly mapped fields of the bundled template, by full dotted path. */
final class TemplateMappings {

    private TemplateMappings() {}

    /** Field path to mapping type ({@code object} for fields mapped only through their properties). */
    static Map<String, String> mappedTypes() {
        Map<String, String> out = new TreeMap<>();
        collect("", AlertIndexInstaller.loadTemplateResource().get("mappings").get("properties"), out);
        return out;
    }

    private static void collect(String prefix, JsonNode properties, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode spec = field.getValue();
            if (spec.has("properties")) {
                out.put(path, "object");
                collect(path, spec.get("properties"), out);
            } else {
                out.put(path, spec.path("type").asText("object"));
            }
        }
    }

    /** The type a document field gets: its own mapping, or the flattened field it lies within. */
    static String typeOf(Map<String, String> mapped, String path) {
        String type = mapped.get(path);
        if (type != null) {
            return type;
        }
        for (String candidate = path; candidate.contains("."); ) {
            candidate = candidate.substring(0, candidate.lastIndexOf('.'));
            if ("flattened".equals(mapped.get(candidate))) {
                return "flattened";
            }
        }
        return null;
    }
}
