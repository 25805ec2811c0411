package io.eqlwatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ECS fields of an event that its alert carries, as nested objects. Events may store fields as
 * nested objects, as dotted keys or as a mix of both; alerts always get nested objects so that the
 * shell's shared fields and the template's mappings see one shape.
 */
final class EventFields {

    /**
     * Top-level ECS field sets copied from the event: what an analyst pivots on in Kibana's alert
     * flyout. {@code event.kind} is not copied: an alert's own {@code event.kind} is {@code signal}.
     */
    static final Set<String> COPIED_GROUPS = Set.of(
            "agent",
            "destination",
            "dll",
            "dns",
            "event",
            "file",
            "group",
            "host",
            "network",
            "process",
            "registry",
            "source",
            "url",
            "user");

    private EventFields() {}

    /** The copied field sets of {@code source}, dotted keys expanded into objects. */
    static ObjectNode copy(Map<String, Object> source, ObjectMapper mapper) {
        ObjectNode expanded = expand(source, mapper);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        expanded.fields().forEachRemaining(field -> {
            if (COPIED_GROUPS.contains(field.getKey()) && field.getValue().isObject()) {
                out.set(field.getKey(), field.getValue());
            }
        });
        if (out.get("event") instanceof ObjectNode event) {
            event.remove("kind");
            if (event.isEmpty()) {
                out.remove("event");
            }
        }
        return out;
    }

    /** The event's {@code event.*} fields (kind included), for {@code kibana.alert.original_event.*}. */
    static ObjectNode originalEvent(Map<String, Object> source, ObjectMapper mapper) {
        JsonNode event = expand(source, mapper).get("event");
        return event instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
    }

    static ObjectNode expand(Map<String, Object> source, ObjectMapper mapper) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, Object> entry : source.entrySet()) {
            put(root, entry.getKey(), entry.getValue(), mapper);
        }
        return root;
    }

    private static void put(ObjectNode target, String dottedKey, Object value, ObjectMapper mapper) {
        String[] parts = dottedKey.split("\\.");
        ObjectNode parent = target;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = parent.get(parts[i]);
            if (child == null) {
                parent = parent.putObject(parts[i]);
            } else if (child instanceof ObjectNode object) {
                parent = object;
            } else {
                // "a": 1 next to "a.b": 2 cannot both be indexed; keep what came first.
                return;
            }
        }
        String leaf = parts[parts.length - 1];
        if (value instanceof Map<?, ?> map) {
            JsonNode existing = parent.get(leaf);
            ObjectNode object;
            if (existing == null) {
                object = parent.putObject(leaf);
            } else if (existing instanceof ObjectNode existingObject) {
                object = existingObject;
            } else {
                return;
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                put(object, String.valueOf(entry.getKey()), entry.getValue(), mapper);
            }
        } else if (value instanceof List<?> list) {
            if (!parent.has(leaf)) {
                parent.set(leaf, expandList(list, mapper));
            }
        } else if (!parent.has(leaf)) {
            parent.set(leaf, mapper.valueToTree(value));
        }
    }

    private static JsonNode expandList(List<?> list, ObjectMapper mapper) {
        var array = JsonNodeFactory.instance.arrayNode();
        for (Object element : list) {
            if (element instanceof Map<?, ?> map) {
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    put(object, String.valueOf(entry.getKey()), entry.getValue(), mapper);
                }
                array.add(object);
            } else if (element instanceof List<?> nested) {
                array.add(expandList(nested, mapper));
            } else {
                array.add(mapper.valueToTree(element));
            }
        }
        return array;
    }
}
