package io.eqlwatch.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.EventEvaluator;
import io.eqlwatch.eql.analysis.QueryFields;
import io.eqlwatch.eql.analysis.Verifier;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Pipe;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.eql.dsl.PushDownTranslator;
import io.eqlwatch.eql.dsl.ReadFilter;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles queries and rules into plans. The only place that looks at which kind of query body a
 * query has: everything downstream works from the {@link QueryShape} and the stage plans.
 */
public final class Planner {

    private Planner() {}

    /**
     * A rule's plan for the mapped types of its indices.
     *
     * @throws io.eqlwatch.eql.analysis.QueryRejectedException when Elasticsearch would refuse the query against
     *         those types (a field none of the indices maps), so that the rule's run fails saying why
     */
    public static RulePlan plan(Rule rule, FieldTypes types) {
        return plan(rule, types, Instant.now());
    }

    /** A rule's plan with the exception items that have not expired by {@code now}. */
    public static RulePlan plan(Rule rule, FieldTypes types, Instant now) {
        Verifier.check(
                rule.query(), types, "rule '" + rule.name() + "' cannot run against the mappings of " + rule.index());
        QueryPlan query = TunedPlan.apply(plan(rule.query(), types, rule.eventCategoryField()), rule, types, now);
        ReadSpec read = new ReadSpec(rule.index(), rule.timestampField(), rule.windowField(), rule.tiebreakerField());
        return new RulePlan(rule, types, query, read);
    }

    /** A query's plan, evaluating and pushing down as the mapped types say. */
    public static QueryPlan plan(Query query, FieldTypes types, String categoryField) {
        return build(
                query,
                new Evaluator(types, categoryField),
                new ReadFilter(new PushDownTranslator(types, categoryField)),
                categoryField);
    }

    /**
     * A plan for matching in memory only (events already at hand, no read filter), with any
     * evaluator: the engine's tests use a small one of their own.
     */
    public static QueryPlan forMatching(Query query, EventEvaluator evaluator) {
        return build(query, evaluator, null, Evaluator.DEFAULT_CATEGORY_FIELD);
    }

    /** What a query finds, without compiling it. */
    public static QueryShape shapeOf(Query query) {
        if (query.body() instanceof SequenceQuery) {
            return QueryShape.SEQUENCE;
        }
        return query.body() instanceof SampleQuery ? QueryShape.SAMPLE : QueryShape.EVENT;
    }

    private static QueryPlan build(Query query, EventEvaluator evaluator, ReadFilter filters, String categoryField) {
        checkPipes(query.pipes());
        Set<String> fields = new LinkedHashSet<>();
        if (query.body() instanceof EventQuery event) {
            fields(event, categoryField, fields);
            ObjectNode pushDown = filters == null ? null : filters.event(event);
            StagePlan only = new StagePlan(
                    0, event, evaluator.compile(event), List.of(), extractor(List.of(), evaluator), pushDown, false, 1);
            return new QueryPlan(
                    query, QueryShape.EVENT, List.of(only), null, List.of(), null, query.pipes(), pushDown, fields);
        }
        if (query.body() instanceof SequenceQuery sequence) {
            checkSequence(sequence);
            List<StagePlan> stages = new ArrayList<>();
            for (SequenceStage stage : sequence.stages()) {
                stages.add(stage(stages.size(), stage, sequence.by(), evaluator, filters, categoryField, fields));
            }
            StagePlan until = sequence.until() == null
                    ? null
                    : stage(stages.size(), sequence.until(), sequence.by(), evaluator, filters, categoryField, fields);
            return new QueryPlan(
                    query,
                    QueryShape.SEQUENCE,
                    stages,
                    until,
                    sequence.by(),
                    sequence.maxspan(),
                    query.pipes(),
                    readFilter(stages, until, filters),
                    fields);
        }
        if (query.body() instanceof SampleQuery sample) {
            checkSample(sample);
            List<StagePlan> stages = new ArrayList<>();
            for (SequenceStage stage : sample.stages()) {
                stages.add(stage(stages.size(), stage, sample.by(), evaluator, filters, categoryField, fields));
            }
            return new QueryPlan(
                    query,
                    QueryShape.SAMPLE,
                    stages,
                    null,
                    sample.by(),
                    null,
                    query.pipes(),
                    readFilter(stages, null, filters),
                    fields);
        }
        throw new IllegalArgumentException("unknown query body " + query.body());
    }

    private static StagePlan stage(
            int position,
            SequenceStage stage,
            List<Expr> sharedKeys,
            EventEvaluator evaluator,
            ReadFilter filters,
            String categoryField,
            Set<String> fields) {
        List<Expr> keys = new ArrayList<>(sharedKeys);
        keys.addAll(stage.by());
        fields(stage.event(), categoryField, fields);
        keys.forEach(key -> fields(key, fields));
        ObjectNode pushDown = filters == null ? null : filters.stage(stage, sharedKeys);
        return new StagePlan(
                position,
                stage.event(),
                evaluator.compile(stage.event()),
                keys,
                extractor(keys, evaluator),
                pushDown,
                stage.missing(),
                stage.runs());
    }

    private static JoinKeyExtractor extractor(List<Expr> keys, EventEvaluator evaluator) {
        List<Function<Event, List<Object>>> readers = new ArrayList<>(keys.size());
        List<Boolean> optional = new ArrayList<>(keys.size());
        for (Expr key : keys) {
            readers.add(evaluator.joinReader(key));
            optional.add(key instanceof Expr.Field field && field.optional());
        }
        return new JoinKeyExtractor(readers, optional);
    }

    private static ObjectNode readFilter(List<StagePlan> stages, StagePlan until, ReadFilter filters) {
        if (filters == null) {
            return null;
        }
        List<ObjectNode> any = new ArrayList<>();
        stages.forEach(stage -> any.add(stage.pushDown()));
        if (until != null) {
            any.add(until.pushDown());
        }
        return ReadFilter.anyOf(any);
    }

    // ---- shape checks (the parser enforces them on text; hand-built queries meet them here) ----

    private static void checkPipes(List<Pipe> pipes) {
        for (Pipe pipe : pipes) {
            if (pipe.count() < 0) {
                throw new IllegalArgumentException("| " + (pipe instanceof Pipe.Head ? "head" : "tail")
                        + " needs a count of 0 or more, got " + pipe.count());
            }
        }
    }

    private static void checkSequence(SequenceQuery query) {
        Integer keyCount = null;
        for (SequenceStage stage : query.stages()) {
            if (stage.runs() < 1) {
                throw new IllegalArgumentException("runs must be at least 1, got " + stage.runs());
            }
            if (keyCount != null && keyCount != stage.by().size()) {
                throw new IllegalArgumentException(
                        "every sequence stage needs the same number of join keys, but one has " + keyCount
                                + " and another " + stage.by().size());
            }
            keyCount = stage.by().size();
        }
        if (query.until() != null
                && keyCount != null
                && keyCount != query.until().by().size()) {
            throw new IllegalArgumentException("until needs as many join keys as the sequence stages (" + keyCount
                    + "), got " + query.until().by().size());
        }
        if (query.stages().stream().allMatch(SequenceStage::missing)) {
            throw new IllegalArgumentException("a sequence needs at least one stage that is not a missing event");
        }
        int expanded = query.stages().stream().mapToInt(SequenceStage::runs).sum();
        if (expanded < 2) {
            throw new IllegalArgumentException("a sequence needs at least two stages");
        }
    }

    private static void checkSample(SampleQuery query) {
        if (query.stages().size() < 2) {
            throw new IllegalArgumentException("a sample needs at least two stages");
        }
        int keyCount = query.by().size() + query.stages().get(0).by().size();
        for (SequenceStage stage : query.stages()) {
            if (stage.missing() || stage.runs() != 1) {
                throw new IllegalArgumentException("sample stages cannot be missing events or have runs");
            }
            if (query.by().size() + stage.by().size() != keyCount) {
                throw new IllegalArgumentException("every sample stage needs the same number of join keys");
            }
        }
        if (keyCount == 0) {
            throw new IllegalArgumentException("a sample needs join keys (sample by ...)");
        }
    }

    // ---- the fields a query reads ----

    private static void fields(EventQuery query, String categoryField, Set<String> out) {
        if (!query.anyCategory()) {
            out.add(categoryField);
        }
        fields(query.condition(), out);
    }

    /** The fields below the expression, in the order they are written (one walk for every pass over a query). */
    private static void fields(Expr expr, Set<String> out) {
        for (Expr node : QueryFields.subtree(expr)) {
            if (node instanceof Expr.Field field) {
                out.add(field.name());
            }
        }
    }
}
