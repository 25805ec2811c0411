package io.eqlwatch.eql.dsl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.QueryBody;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import java.util.ArrayList;
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
    private final ObjectNode excepted;
    private final ObjectNode required;

    public ReadFilter(PushDownTranslator translator) {
        this(translator, null, null);
    }

    /**
     * @param excepted events a rule's exceptions remove: left out of the read of every positive
     *                 stage ({@code must_not}), never of an {@code until} or missing-event stage;
     *                 {@code null} for none
     * @param required a clause every event read must satisfy (a rule's Kibana {@code filters}),
     *                 ANDed into every stage; {@code null} for none
     */
    public ReadFilter(PushDownTranslator translator, ObjectNode excepted, ObjectNode required) {
        this.translator = Objects.requireNonNull(translator, "translator");
        this.excepted = excepted;
        this.required = required;
    }

    /** The whole read filter of a query. */
    public ObjectNode of(Query query) {
        QueryBody body = query.body();
        if (body instanceof EventQuery event) {
            return tuned(List.of(translator.translate(event)), true);
        }
        List<ObjectNode> stages = new ArrayList<>();
        if (body instanceof SequenceQuery sequence) {
            for (SequenceStage stage : sequence.stages()) {
                stages.add(stage(stage, sequence.by()));
            }
            if (sequence.until() != null) {
                stages.add(untilStage(sequence.until(), sequence.by()));
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

    /**
     * One stage's filter: its event query, and {@code exists} on each required join key; for a
     * stage that needs an event (not {@code ![...]}), without the excepted events.
     */
    public ObjectNode stage(SequenceStage stage, List<Expr> sharedKeys) {
        return stage(stage, sharedKeys, !stage.missing());
    }

    /** The filter of a sequence's {@code until} stage, which exceptions never narrow. */
    public ObjectNode untilStage(SequenceStage until, List<Expr> sharedKeys) {
        return stage(until, sharedKeys, false);
    }

    private ObjectNode stage(SequenceStage stage, List<Expr> sharedKeys, boolean positive) {
        List<ObjectNode> clauses = new ArrayList<>();
        clauses.add(translator.translate(stage.event()));
        for (Expr key : keys(sharedKeys, stage)) {
            if (key instanceof Expr.Field field && !field.optional()) {
                clauses.add(Dsl.exists(field.name()));
            }
        }
        return tuned(clauses, positive);
    }

    private ObjectNode tuned(List<ObjectNode> clauses, boolean positive) {
        List<ObjectNode> all = new ArrayList<>(clauses);
        if (required != null) {
            all.add(required);
        }
        if (positive && excepted != null) {
            all.add(Dsl.not(excepted));
        }
        return Dsl.and(all);
    }

    private static List<Expr> keys(List<Expr> sharedKeys, SequenceStage stage) {
        List<Expr> keys = new ArrayList<>(sharedKeys);
        keys.addAll(stage.by());
        return keys;
    }
}
