package io.eqlwatch.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.tuning.ExceptionEntry;
import io.eqlwatch.tuning.ExceptionItem;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a SOC has tuned a rule: what it must not alert on, how its alerts are folded and shown.
 *
 * @param exceptions        the rule's own items and those of the shared lists it references, ORed
 * @param exceptionsList    the rule's references to shared exception lists, as Kibana writes
 *                          {@code exceptions_list} ({@code id}, {@code list_id}, {@code type},
 *                          {@code namespace_type}), carried into the alerts' rule parameters
 * @param filters           Kibana query-bar filters ANDed into every read
 * @param suppression       {@code alert_suppression}, or {@code null}
 * @param buildingBlockType {@code default} to write every alert as a building block, or {@code null}
 * @param parameters        parameters eqlwatch keeps for Kibana without acting on them
 *                          ({@code setup}, {@code investigation_fields}, {@code related_integrations},
 *                          {@code required_fields}, {@code timeline_id}, ...), by their Kibana names
 */
public record RuleTuning(
        List<ExceptionItem> exceptions,
        List<JsonNode> exceptionsList,
        List<JsonNode> filters,
        AlertSuppression suppression,
        String buildingBlockType,
        ObjectNode parameters) {

    public static final RuleTuning NONE =
            new RuleTuning(List.of(), List.of(), List.of(), null, null, JsonNodeFactory.instance.objectNode());

    public RuleTuning {
        exceptions = List.copyOf(exceptions);
        exceptionsList = List.copyOf(exceptionsList);
        filters = List.copyOf(filters);
        parameters = parameters == null ? JsonNodeFactory.instance.objectNode() : parameters.deepCopy();
    }

    /**
     * Every field the exceptions test, the fields of a nested entry as full paths ({@code parent.child}): their
     * mapped types decide how values compare, and a read must bring them.
     */
    public Set<String> exceptionFields() {
        Set<String> fields = new TreeSet<>();
        exceptions.forEach(item -> item.entries().forEach(entry -> addFields("", entry, fields)));
        return fields;
    }

    private static void addFields(String prefix, ExceptionEntry entry, Set<String> fields) {
        fields.add(prefix + entry.field());
        if (entry instanceof ExceptionEntry.Nested nested) {
            nested.entries().forEach(inner -> addFields(prefix + entry.field() + ".", inner, fields));
        }
    }

    /** The same tuning without exceptions: what the rule finds untuned, for previews. */
    public RuleTuning withoutExceptions() {
        return new RuleTuning(List.of(), exceptionsList, filters, suppression, buildingBlockType, parameters);
    }
}
