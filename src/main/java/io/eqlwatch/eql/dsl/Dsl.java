package io.eqlwatch.eql.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds Elasticsearch query-DSL nodes, folding {@code match_all}/{@code match_none} away so the
 * produced queries stay small and readable.
 */
final class Dsl {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Dsl() {}

    static ObjectNode matchAll() {
        ObjectNode node = JSON.objectNode();
        node.putObject("match_all");
        return node;
    }

    static ObjectNode matchNone() {
        ObjectNode node = JSON.objectNode();
        node.putObject("match_none");
        return node;
    }

    static boolean isMatchAll(JsonNode node) {
        return node.size() == 1 && node.has("match_all");
    }

    static boolean isMatchNone(JsonNode node) {
        return node.size() == 1 && node.has("match_none");
    }

    static ObjectNode exists(String field) {
        ObjectNode node = JSON.objectNode();
        node.putObject("exists").put("field", field);
        return node;
    }

    static ObjectNode term(String field, JsonNode value, boolean caseInsensitive) {
        ObjectNode node = JSON.objectNode();
        ObjectNode body = node.putObject("term").putObject(field);
        body.set("value", value);
        if (caseInsensitive) {
            body.put("case_insensitive", true);
        }
        return node;
    }

    static ObjectNode terms(String field, List<JsonNode> values) {
        ObjectNode node = JSON.objectNode();
        ArrayNode array = node.putObject("terms").putArray(field);
        values.forEach(array::add);
        return node;
    }

    static ObjectNode wildcard(String field, String pattern, boolean caseInsensitive) {
        return valueQuery("wildcard", field, pattern, caseInsensitive);
    }

    /** Lucene's regular expression on the field's terms, as Elasticsearch EQL sends {@code regex} and {@code regex~}. */
    static ObjectNode regexp(String field, String pattern, boolean caseInsensitive) {
        return valueQuery("regexp", field, pattern, caseInsensitive);
    }

    static ObjectNode prefix(String field, String prefix, boolean caseInsensitive) {
        return valueQuery("prefix", field, prefix, caseInsensitive);
    }

    /** {@code {kind: {field: {value, case_insensitive?}}}}, the shape wildcard, regexp and prefix queries share. */
    private static ObjectNode valueQuery(String kind, String field, String value, boolean caseInsensitive) {
        ObjectNode node = JSON.objectNode();
        ObjectNode body = node.putObject(kind).putObject(field);
        body.put("value", value);
        if (caseInsensitive) {
            body.put("case_insensitive", true);
        }
        return node;
    }

    /** {@code bound} is one of gt, gte, lt, lte. */
    static ObjectNode range(String field, String bound, JsonNode value) {
        ObjectNode node = JSON.objectNode();
        node.putObject("range").putObject(field).set(bound, value);
        return node;
    }

    /** Every clause must hold. */
    static ObjectNode and(List<ObjectNode> clauses) {
        List<ObjectNode> kept = new ArrayList<>();
        for (ObjectNode clause : clauses) {
            if (isMatchNone(clause)) {
                return matchNone();
            }
            if (isPureFilter(clause)) {
                // a filter inside a filter: splice its clauses in
                clause.get("bool").get("filter").forEach(c -> kept.add((ObjectNode) c));
            } else if (!isMatchAll(clause)) {
                kept.add(clause);
            }
        }
        if (kept.isEmpty()) {
            return matchAll();
        }
        if (kept.size() == 1) {
            return kept.get(0);
        }
        ObjectNode node = JSON.objectNode();
        ArrayNode filter = node.putObject("bool").putArray("filter");
        kept.forEach(filter::add);
        return node;
    }

    private static boolean isPureFilter(JsonNode node) {
        return node.size() == 1
                && node.has("bool")
                && node.get("bool").size() == 1
                && node.get("bool").has("filter");
    }

    /** At least one clause must hold. */
    static ObjectNode or(List<ObjectNode> clauses) {
        List<ObjectNode> kept = new ArrayList<>();
        for (ObjectNode clause : clauses) {
            if (isMatchAll(clause)) {
                return matchAll();
            }
            if (!isMatchNone(clause)) {
                kept.add(clause);
            }
        }
        if (kept.isEmpty()) {
            return matchNone();
        }
        if (kept.size() == 1) {
            return kept.get(0);
        }
        ObjectNode node = JSON.objectNode();
        ObjectNode bool = node.putObject("bool");
        ArrayNode should = bool.putArray("should");
        kept.forEach(should::add);
        bool.put("minimum_should_match", 1);
        return node;
    }

    /** The documents the clause does not return (including those missing its field). */
    static ObjectNode not(ObjectNode clause) {
        if (isMatchAll(clause)) {
            return matchNone();
        }
        if (isMatchNone(clause)) {
            return matchAll();
        }
        ObjectNode node = JSON.objectNode();
        node.putObject("bool").putArray("must_not").add(clause);
        return node;
    }

    static JsonNode text(String value) {
        return JSON.textNode(value);
    }

    static JsonNode number(long value) {
        return JSON.numberNode(value);
    }

    static JsonNode number(double value) {
        return JSON.numberNode(value);
    }

    static JsonNode bool(boolean value) {
        return JSON.booleanNode(value);
    }
}
