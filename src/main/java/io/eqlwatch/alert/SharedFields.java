package io.eqlwatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The fields a sequence's events all share, for its shell alert. Follows Kibana's intersection of
 * building blocks: objects intersect key by key, equal values stay, arrays keep the elements
 * present in both (a single value counts as a one-element array), anything else goes. Unlike
 * Kibana, an intersection that leaves an empty array or object drops the field instead of keeping
 * an empty value, so the shell only carries values that all events really have.
 */
final class SharedFields {

    private SharedFields() {}

    /** The intersection of all documents; an empty object when they share nothing. */
    static ObjectNode intersect(List<ObjectNode> documents) {
        if (documents.isEmpty()) {
            return JsonNodeFactory.instance.objectNode();
        }
        ObjectNode shared = documents.get(0).deepCopy();
        for (int i = 1; i < documents.size(); i++) {
            JsonNode next = intersectObjects(shared, documents.get(i));
            shared = next == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) next;
        }
        return shared;
    }

    private static JsonNode intersectObjects(JsonNode a, JsonNode b) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode other = b.get(field.getKey());
            if (other == null) {
                continue;
            }
            JsonNode value = intersectValues(field.getValue(), other);
            if (value != null) {
                out.set(field.getKey(), value);
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static JsonNode intersectValues(JsonNode a, JsonNode b) {
        if (a.isObject() && b.isObject()) {
            return intersectObjects(a, b);
        }
        if (!a.isArray() && !b.isArray()) {
            return sameValue(a, b) ? a.deepCopy() : null;
        }
        List<JsonNode> left = elements(a);
        List<JsonNode> right = elements(b);
        ArrayNode common = JsonNodeFactory.instance.arrayNode();
        for (JsonNode candidate : left) {
            if (containsValue(right, candidate) && !containsValue(elements(common), candidate)) {
                common.add(candidate.deepCopy());
            }
        }
        return common.isEmpty() ? null : common;
    }

    private static List<JsonNode> elements(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }

    private static boolean containsValue(List<JsonNode> values, JsonNode candidate) {
        for (JsonNode value : values) {
            if (sameValue(value, candidate)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Deep equality where numbers compare by value whatever their Java width (an event parsed as
     * {@code Integer} and one parsed as {@code Long} share 4), but a number never equals a string,
     * as in Kibana.
     */
    static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return toDecimal(a).compareTo(toDecimal(b)) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode other = b.get(field.getKey());
                if (other == null || !sameValue(field.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static BigDecimal toDecimal(JsonNode number) {
        return number.isIntegralNumber() ? new BigDecimal(number.bigIntegerValue()) : number.decimalValue();
    }
}
