package io.eqlwatch.tuning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The query-DSL clause that selects excepted events, in the shapes Kibana's exception filter
 * builder gives each entry ({@code match_phrase} for {@code is}, {@code wildcard} for
 * {@code matches}, {@code terms} or ranges for lists, {@code nested} for nested entries). A read
 * puts it under {@code must_not}. Value lists are sent in full, however long (Elasticsearch's
 * {@code index.max_terms_count}, 65,536 by default, bounds a terms query, so a longer list is
 * sent as several terms queries ORed).
 */
public final class ExceptionQuery {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Elasticsearch's default {@code index.max_terms_count}. */
    static final int MAX_TERMS = 65_536;

    private ExceptionQuery() {}

    /** Events any unexpired item describes, or {@code null} when no item applies at {@code now}. */
    public static ObjectNode anyItem(List<ExceptionItem> items, Instant now) {
        List<ObjectNode> clauses = new ArrayList<>();
        for (ExceptionItem item : items) {
            if (!item.expiredAt(now)) {
                clauses.add(allOf(item.entries(), null));
            }
        }
        if (clauses.isEmpty()) {
            return null;
        }
        return clauses.size() == 1 ? clauses.get(0) : should(clauses);
    }

    private static ObjectNode allOf(List<ExceptionEntry> entries, String parent) {
        ObjectNode node = JSON.objectNode();
        ArrayNode filter = node.putObject("bool").putArray("filter");
        for (ExceptionEntry entry : entries) {
            filter.add(entry(entry, parent));
        }
        return node;
    }

    private static ObjectNode entry(ExceptionEntry entry, String parent) {
        String field = parent == null ? entry.field() : parent + "." + entry.field();
        if (entry instanceof ExceptionEntry.Nested nested) {
            ObjectNode node = JSON.objectNode();
            ObjectNode body = node.putObject("nested");
            body.put("path", field);
            body.set("query", allOf(nested.entries(), field));
            body.put("score_mode", "none");
            return node;
        }
        ObjectNode clause;
        Operator operator;
        if (entry instanceof ExceptionEntry.Match match) {
            clause = should(List.of(matchPhrase(field, match.value())));
            operator = match.operator();
        } else if (entry instanceof ExceptionEntry.MatchAny any) {
            clause =
                    should(any.values().stream().map(v -> matchPhrase(field, v)).toList());
            operator = any.operator();
        } else if (entry instanceof ExceptionEntry.Exists exists) {
            ObjectNode query = JSON.objectNode();
            query.putObject("exists").put("field", field);
            clause = should(List.of(query));
            operator = exists.operator();
        } else if (entry instanceof ExceptionEntry.Wildcard wildcard) {
            ObjectNode query = JSON.objectNode();
            query.putObject("wildcard").put(field, wildcard.value());
            clause = JSON.objectNode();
            clause.putObject("bool").set("filter", query);
            operator = wildcard.operator();
        } else {
            ExceptionEntry.InList in = (ExceptionEntry.InList) entry;
            clause = list(field, in.list());
            operator = in.operator();
        }
        return operator == Operator.EXCLUDED ? not(clause) : clause;
    }

    private static ObjectNode list(String field, ValueList list) {
        List<ObjectNode> clauses = new ArrayList<>();
        switch (list.type()) {
            case TEXT -> list.values().forEach(v -> clauses.add(matchPhrase(field, v)));
            case IP_RANGE -> {
                List<String> blocks = new ArrayList<>();
                for (String value : list.values()) {
                    int dash = value.indexOf('-');
                    if (dash < 0) {
                        blocks.add(value);
                        continue;
                    }
                    ObjectNode range = JSON.objectNode();
                    ObjectNode bounds = range.putObject("range").putObject(field);
                    bounds.put("gte", value.substring(0, dash).trim());
                    bounds.put("lte", value.substring(dash + 1).trim());
                    clauses.add(range);
                }
                clauses.addAll(terms(field, blocks));
            }
            case KEYWORD, IP -> clauses.addAll(terms(field, list.values()));
        }
        if (clauses.isEmpty()) {
            // An empty list holds nothing: "is in list" matches no event.
            ObjectNode none = JSON.objectNode();
            none.putObject("match_none");
            return none;
        }
        return should(clauses);
    }

    private static List<ObjectNode> terms(String field, List<String> values) {
        List<ObjectNode> out = new ArrayList<>();
        for (int from = 0; from < values.size(); from += MAX_TERMS) {
            ObjectNode node = JSON.objectNode();
            ArrayNode array = node.putObject("terms").putArray(field);
            values.subList(from, Math.min(values.size(), from + MAX_TERMS)).forEach(array::add);
            out.add(node);
        }
        return out;
    }

    private static ObjectNode matchPhrase(String field, String value) {
        ObjectNode node = JSON.objectNode();
        node.putObject("match_phrase").put(field, value);
        return node;
    }

    static ObjectNode should(List<ObjectNode> clauses) {
        ObjectNode node = JSON.objectNode();
        ObjectNode bool = node.putObject("bool");
        bool.put("minimum_should_match", 1);
        ArrayNode should = bool.putArray("should");
        clauses.forEach(should::add);
        return node;
    }

    private static ObjectNode not(ObjectNode clause) {
        ObjectNode node = JSON.objectNode();
        node.putObject("bool").putArray("must_not").add(clause);
        return node;
    }
}
