package io.eqlwatch.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A rule's {@code filters} (Kibana's query-bar filters: {@code {meta: {...}, query: {...}}}) as one
 * query-DSL clause, built as Kibana builds it: a disabled filter is skipped, a negated one goes
 * under {@code must_not}, the others under {@code filter}. Older exports put the query beside
 * {@code meta} instead of under {@code query} ({@code {meta, exists: {...}}}); both are read.
 */
public final class KibanaFilters {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private KibanaFilters() {}

    /** The clause, or {@code null} when no filter is enabled. */
    public static ObjectNode toQuery(List<JsonNode> filters) {
        ArrayNode must = JSON.arrayNode();
        ArrayNode mustNot = JSON.arrayNode();
        for (JsonNode filter : filters) {
            JsonNode meta = filter.path("meta");
            if (meta.path("disabled").asBoolean(false)) {
                continue;
            }
            ObjectNode query = queryOf(filter);
            if (query == null) {
                continue;
            }
            (meta.path("negate").asBoolean(false) ? mustNot : must).add(query);
        }
        if (must.isEmpty() && mustNot.isEmpty()) {
            return null;
        }
        ObjectNode node = JSON.objectNode();
        ObjectNode bool = node.putObject("bool");
        if (!must.isEmpty()) {
            bool.set("filter", must);
        }
        if (!mustNot.isEmpty()) {
            bool.set("must_not", mustNot);
        }
        return node;
    }

    /** The query of one filter, or {@code null} when it holds none (a problem {@link #problem} names). */
    static ObjectNode queryOf(JsonNode filter) {
        if (!filter.isObject()) {
            return null;
        }
        if (filter.get("query") instanceof ObjectNode query) {
            return query.deepCopy();
        }
        ObjectNode rest = JSON.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = filter.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("meta") && !field.getKey().equals("$state")) {
                rest.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return rest.isEmpty() ? null : rest;
    }

    /** Why a filter cannot be used, or {@code null} when it can. */
    public static String problem(JsonNode filter) {
        if (!filter.isObject()) {
            return "a filter must be a mapping with meta and query, as Kibana exports it";
        }
        if (queryOf(filter) == null) {
            return "the filter holds no query (expected query: {...} beside meta)";
        }
        return null;
    }
}
