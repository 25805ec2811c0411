package io.eqlwatch.alert;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One entry of {@code kibana.alert.ancestors}: a document an alert was derived from.
 *
 * @param id    the parent's {@code _id}
 * @param index the parent's concrete index; empty for a building block referenced by its shell,
 *              because Kibana computes the shell before the building blocks have an index
 * @param depth 0 for a source event, 1 for a building-block alert
 * @param type  {@code event} or {@code signal}
 * @param rule  the rule uuid that made the parent when it is an alert; {@code null} for events
 */
public record Ancestor(String id, String index, int depth, String type, String rule) {

    public Ancestor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(type, "type");
    }

    /** A source event read from {@code index}. */
    public static Ancestor event(String id, String index) {
        return new Ancestor(id, index, 0, "event", null);
    }

    /** A building-block alert made by the rule with uuid {@code ruleUuid}. */
    public static Ancestor buildingBlock(String id, String ruleUuid) {
        return new Ancestor(id, "", 1, "signal", ruleUuid);
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id);
        node.put("index", index);
        node.put("depth", depth);
        node.put("type", type);
        if (rule != null) {
            node.put("rule", rule);
        }
        return node;
    }
}
