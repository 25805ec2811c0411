package io.eqlwatch.eql.dsl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.QueryBody;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The filter that reads every event a query can use: for an event query its translation; for a
 * sequence or sample, any of its stages (each with {@code exists} on its required join keys),
 * including {@code until} and missing-event stages, which must be read too. Always a superset of
 * what the evaluator accepts, per {@link PushDownTranslator}.
 */
public final class ReadFilter {

    private final PushDownTranslator translator;

    public ReadFilter(PushDownTranslator translator) {
        this.translator = Objects.requireNonNull(translator, "translator");
    }

    /** The whole read filter of a query. */
    public ObjectNode of(Query query) {
        QueryBody body = query.body();
        if (body instanceof EventQuery event) {
            return translator.translate(event);
        }
        List<ObjectNode> stages = new ArrayList<>();
        if (body instanceof SequenceQuery sequence) {
            for (SequenceStage stage : sequence.stages()) {
                stages.add(stage(stage, sequence.by()));
            }
            if (sequence.until() != null) {
                stages.add(stage(sequence.until(), sequence.by()));
            }
        } else if (body instanceof SampleQuery sample) {
            for (SequenceStage stage : sample.stages()) {
                stages.add(stage(stage, sample.by()));
            }
        } else {
            throw new IllegalArgumentException("unknown query body " + body);
        }
        return Dsl.or(stages);
    }

    /** One stage's filter: its event query, and {@code exists} on each required join key. */
    public ObjectNode stage(SequenceStage stage, List<Expr> sharedKeys) {
        List<ObjectNode> clauses = new ArrayList<>();
        clauses.add(translator.translate(stage.event()));
        for (Expr key : keys(sharedKeys, stage)) {
            if (key instanceof Expr.Field field && !field.optional()) {
                clauses.add(Dsl.exists(field.name()));
            }
        }
        return Dsl.and(clauses);
    }

    /**
     * Narrows a stage's filter to join-key values already seen (for reading later stages when the
     * first stage had few candidates). Each element of {@code keyValues} holds one value per key
     * in {@code keys} order; a null value means an absent optional key.
     */
    public static ObjectNode restrictToKeys(ObjectNode stageFilter, List<Expr> keys, Collection<List<Object>> keyValues) {
        List<ObjectNode> alternatives = new ArrayList<>(keyValues.size());
        for (List<Object> values : keyValues) {
            if (values.size() != keys.size()) {
                throw new IllegalArgumentException("expected " + keys.size() + " join-key values, got " + values.size());
            }
            List<ObjectNode> conditions = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                if (!(keys.get(i) instanceof Expr.Field field)) {
                    continue; // a computed key cannot be filtered on; the evaluator joins it
                }
                Object value = values.get(i);
                if (value == null) {
                    conditions.add(Dsl.not(Dsl.exists(field.name())));
                } else if (value instanceof String s) {
                    conditions.add(Dsl.term(field.name(), Dsl.text(s), false));
                } else if (value instanceof Long || value instanceof Integer) {
                    conditions.add(Dsl.term(field.name(), Dsl.number(((Number) value).longValue()), false));
                } else if (value instanceof Number n) {
                    conditions.add(Dsl.term(field.name(), Dsl.number(n.doubleValue()), false));
                } else if (value instanceof Boolean b) {
                    conditions.add(Dsl.term(field.name(), Dsl.bool(b), false));
                }
                // any other value type: no condition, still a superset
            }
            alternatives.add(Dsl.and(conditions));
        }
        return Dsl.and(List.of(stageFilter, Dsl.or(alternatives)));
    }

    /** The filter restricted to {@code from <= timestamp <= to}. */
    public static ObjectNode withTimeRange(ObjectNode filter, String timestampField, Instant from, Instant to) {
        ObjectNode range = Dsl.range(timestampField, "gte", Dsl.text(DateTimeFormatter.ISO_INSTANT.format(from)));
        ObjectNode body = (ObjectNode) range.get("range").get(timestampField);
        body.put("lte", DateTimeFormatter.ISO_INSTANT.format(to));
        body.put("format", "strict_date_optional_time_nanos");
        return Dsl.and(List.of(filter, range));
    }

    private static List<Expr> keys(List<Expr> sharedKeys, SequenceStage stage) {
        List<Expr> keys = new ArrayList<>(sharedKeys);
        keys.addAll(stage.by());
        return keys;
    }
}
