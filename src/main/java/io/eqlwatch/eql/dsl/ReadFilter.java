package io.eqlwatch.eql.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.SequenceStage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The filters that read every event a query can use: for an event query its translation; for a
 * sequence or sample stage its translation with {@code exists} on its required join keys; for the
 * whole of a sequence or sample any of its stages ({@code until} and missing-event stages included,
 * which must be read too). Always a superset of what the evaluator accepts, per
 * {@link PushDownTranslator}. The query plan puts them together.
 */
public final class ReadFilter {

    private final PushDownTranslator translator;

    public ReadFilter(PushDownTranslator translator) {
        this.translator = Objects.requireNonNull(translator, "translator");
    }

    /** An event query's filter: its translation. */
    public ObjectNode event(EventQuery query) {
        return translator.translate(query);
    }

    /** One stage's filter: its event query, and {@code exists} on each required join key. */
    public ObjectNode stage(SequenceStage stage, List<Expr> sharedKeys) {
        List<ObjectNode> clauses = new ArrayList<>();
        clauses.add(translator.translate(stage.event()));
        List<Expr> keys = new ArrayList<>(sharedKeys);
        keys.addAll(stage.by());
        for (Expr key : keys) {
            if (key instanceof Expr.Field field && !field.optional()) {
                clauses.add(Dsl.exists(field.name()));
            }
        }
        return Dsl.and(clauses);
    }

    /** Events that any of the stage filters reads. */
    public static ObjectNode anyOf(List<ObjectNode> stageFilters) {
        return Dsl.or(stageFilters);
    }

    /**
     * The filter, further restricted to documents whose {@code field} holds none of {@code values}; the filter
     * itself when there are none.
     */
    public static ObjectNode outside(String field, Collection<String> values, ObjectNode filter) {
        if (values.isEmpty()) {
            return filter;
        }
        ObjectNode bool = JsonNodeFactory.instance.objectNode();
        ObjectNode body = bool.putObject("bool");
        body.putArray("filter").add(filter);
        ArrayNode terms =
                body.putArray("must_not").addObject().putObject("terms").putArray(field);
        values.forEach(terms::add);
        return bool;
    }

    /**
     * The filter, further restricted to events whose fields hold one of the given values: a
     * {@code terms} clause per field. Numbers are sent as text, which Elasticsearch parses as the
     * field's type.
     */
    public static ObjectNode withTerms(ObjectNode filter, Map<String, ? extends Collection<Object>> valuesByField) {
        ArrayNode clauses = JsonNodeFactory.instance.arrayNode();
        clauses.add(filter);
        valuesByField.forEach((field, values) -> {
            ArrayNode terms = JsonNodeFactory.instance.arrayNode();
            for (Object value : values) {
                if (value != null) {
                    terms.add(value.toString());
                }
            }
            ObjectNode clause = JsonNodeFactory.instance.objectNode();
            clause.putObject("terms").set(field, terms);
            clauses.add(clause);
        });
        ObjectNode bool = JsonNodeFactory.instance.objectNode();
        bool.putObject("bool").set("filter", clauses);
        return bool;
    }

    /**
     * A read's whole query: the filter (or every event, for {@code null}) within an inclusive range
     * of a date field, given as text in the named date format.
     */
    public static ObjectNode inWindow(JsonNode filter, String rangeField, String from, String to, String format) {
        ObjectNode range = JsonNodeFactory.instance.objectNode();
        range.putObject("range")
                .putObject(rangeField)
                .put("gte", from)
                .put("lte", to)
                .put("format", format);
        ObjectNode bool = JsonNodeFactory.instance.objectNode();
        ArrayNode filters = bool.putObject("bool").putArray("filter");
        filters.add(range);
        if (filter != null) {
            filters.add(filter);
        }
        return bool;
    }
}
