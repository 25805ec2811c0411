package io.eqlwatch.eql.analysis;

import io.eqlwatch.eql.ast.EqlFunction;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.MatchOperator;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.eql.ast.SourcePositions;
import io.eqlwatch.eql.eval.Compiler;
import io.eqlwatch.eql.eval.LuceneRegex;
import io.eqlwatch.eql.parser.NameSuggestion;
import io.eqlwatch.event.FieldTypes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The analysis pass, separate from the parser as Elasticsearch's EQL {@code Verifier} is: given a parsed query
 * and the field types of the rule's indices, it collects every problem Elasticsearch would refuse the query for,
 * each with its position, instead of stopping at the first. The parser only knows the grammar.
 *
 * <ul>
 *   <li>conditions: every operand of {@code and}/{@code or}/{@code not} is boolean; function calls have the
 *       right number and kinds of arguments; no comparison reads a field on both sides;</li>
 *   <li>shape: every stage (and {@code until}) has as many join keys as the first; a sequence with missing
 *       events has a maxspan and at least one stage that is not missing; a sample has join keys;</li>
 *   <li>against a mapping: a field that exists in none of the indices is "Unknown column [name]", as
 *       Elasticsearch says; an optional field ({@code ?name}) may be missing everywhere and then reads as null.
 *       Without a complete mapping (an offline file, indices that do not exist yet) no field is unknown.</li>
 * </ul>
 * Problems come in the order the parser used to meet them: per event query, inner expressions first.
 */
public final class Verifier {

    private final FieldTypes types;
    private final SourcePositions positions;
    private final List<Problem> problems = new ArrayList<>();

    private Verifier(Query query, FieldTypes types) {
        this.types = types;
        this.positions = query.positions();
    }

    /** Every problem of the query against the field types; empty when Elasticsearch would run it. */
    public static List<Problem> verify(Query query, FieldTypes types) {
        Verifier verifier = new Verifier(query, types);
        verifier.body(query);
        return List.copyOf(verifier.problems);
    }

    /**
     * Refuses the query, as Elasticsearch would before running it, when it has problems against the types.
     *
     * @param what names the query in the message, e.g. "rule X cannot run against the mappings of [logs-*]"
     * @throws QueryRejectedException listing every problem
     */
    public static void check(Query query, FieldTypes types, String what) {
        List<Problem> problems = verify(query, types);
        if (!problems.isEmpty()) {
            throw new QueryRejectedException(what, problems);
        }
    }

    private void body(Query query) {
        if (query.body() instanceof EventQuery event) {
            eventQuery(event);
        } else if (query.body() instanceof SequenceQuery sequence) {
            sequence.by().forEach(this::expression);
            for (SequenceStage stage : sequence.stages()) {
                stage(stage);
            }
            if (sequence.until() != null) {
                stage(sequence.until());
            }
            sequenceShape(sequence);
        } else if (query.body() instanceof SampleQuery sample) {
            sample.by().forEach(this::expression);
            sample.stages().forEach(this::stage);
            sampleShape(sample);
        }
    }

    private void stage(SequenceStage stage) {
        eventQuery(stage.event());
        stage.by().forEach(this::expression);
    }

    private void eventQuery(EventQuery query) {
        expression(query.condition());
        booleanOperands(query.condition(), query);
    }

    /** Checks every node of the expression, inner ones first (post-order), without recursion. */
    private void expression(Expr root) {
        Deque<Expr> pending = new ArrayDeque<>();
        Deque<Expr> postOrder = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Expr expr = pending.pop();
            postOrder.push(expr);
            for (Expr child : QueryFields.children(expr)) {
                pending.push(child);
            }
        }
        while (!postOrder.isEmpty()) {
            node(postOrder.pop());
        }
    }

    private void node(Expr node) {
        if (node instanceof Expr.Field field && !field.optional() && types.isUnknown(field.name())) {
            report(field, "Unknown column [" + field.name() + "]" + suggestion(field.name()));
        } else if (node instanceof Expr.Function call) {
            EqlFunction function = EqlFunction.byName(call.name());
            String problem = function == null
                    ? "unknown function [" + call.name() + "]"
                    : FunctionArgumentChecks.problem(function, call.arguments());
            if (problem != null) {
                report(call, problem);
            }
        } else if (node instanceof Expr.Match match && match.operator() == MatchOperator.REGEX) {
            for (Expr pattern : match.patterns()) {
                if (pattern instanceof Expr.Literal literal && literal.value() instanceof String regex) {
                    try {
                        LuceneRegex.compile(regex, false);
                    } catch (IllegalArgumentException e) {
                        report(match, "invalid regular expression [" + regex + "]: " + e.getMessage());
                        break;
                    }
                }
            }
        } else if (node instanceof Expr.Comparison c && readsField(c.left()) && readsField(c.right())) {
            report(
                    c,
                    "comparisons against fields are not supported: one side of '"
                            + c.operator().symbol() + "' must be a constant");
        } else if (node instanceof Expr.In in && readsField(in.value())) {
            in.candidates().stream()
                    .filter(this::readsField)
                    .findFirst()
                    .ifPresent(candidate -> report(
                            candidate,
                            "comparisons against fields are not supported: the values of 'in' must be constants"));
        }
    }

    /** Elasticsearch's verifier requires a condition, and each operand of and/or/not, to be boolean. */
    private void booleanOperands(Expr condition, EventQuery query) {
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(condition);
        while (!pending.isEmpty()) {
            Expr expr = pending.pop();
            if (expr instanceof Expr.And || expr instanceof Expr.Or) {
                List<Expr> operands = Compiler.operands(expr, expr instanceof Expr.And);
                for (int i = operands.size() - 1; i >= 0; i--) {
                    pending.push(operands.get(i));
                }
            } else if (expr instanceof Expr.Not not) {
                pending.push(not.operand());
            } else if (!canBeBoolean(expr)) {
                report(
                        positions.of(expr).isPresent() ? expr : query,
                        "a condition must be boolean, but this is " + describeType(expr));
                return;
            }
        }
    }

    private static boolean canBeBoolean(Expr expr) {
        if (expr instanceof Expr.Literal literal) {
            return literal.value() == null || literal.value() instanceof Boolean;
        }
        if (expr instanceof Expr.Function function) {
            EqlFunction f = EqlFunction.byName(function.name());
            return f == EqlFunction.STARTS_WITH
                    || f == EqlFunction.ENDS_WITH
                    || f == EqlFunction.STRING_CONTAINS
                    || f == EqlFunction.CIDR_MATCH;
        }
        return !(expr instanceof Expr.Arithmetic || expr instanceof Expr.Negate);
    }

    private static String describeType(Expr expr) {
        if (expr instanceof Expr.Literal literal) {
            return literal.value() instanceof String ? "a string" : "a number";
        }
        if (expr instanceof Expr.Function function) {
            return "the non-boolean function [" + function.name() + "]";
        }
        return "an arithmetic expression";
    }

    private void sequenceShape(SequenceQuery sequence) {
        List<SequenceStage> stages = sequence.stages();
        int keyCount = stages.isEmpty() ? 0 : stages.get(0).by().size();
        for (SequenceStage stage : stages) {
            keyCount(keyCount, stage);
        }
        if (sequence.until() != null) {
            keyCount(keyCount, sequence.until());
        }
        Optional<SequenceStage> firstMissing =
                stages.stream().filter(SequenceStage::missing).findFirst();
        if (firstMissing.isPresent() && sequence.maxspan() == null) {
            report(firstMissing.get(), "a sequence with missing events ![...] needs 'with maxspan=...'");
        }
        if (stages.stream().allMatch(SequenceStage::missing)) {
            report(sequence, "a sequence needs at least one stage that is not a missing event ![...]");
        }
    }

    private void sampleShape(SampleQuery sample) {
        List<SequenceStage> stages = sample.stages();
        int keyCount = stages.isEmpty() ? 0 : stages.get(0).by().size();
        for (SequenceStage stage : stages) {
            keyCount(keyCount, stage);
        }
        if (sample.by().isEmpty() && keyCount == 0) {
            report(sample, "a sample needs join keys: write 'sample by <field>' or 'by <field>' after each stage");
        }
    }

    private void keyCount(int expected, SequenceStage stage) {
        if (stage.by().size() != expected) {
            report(
                    stage,
                    "inconsistent number of join keys: the first stage has [" + expected + "] but this one has ["
                            + stage.by().size() + "]");
        }
    }

    /**
     * Whether the expression reads a field's value. An optional field does so only where a mapping says it
     * exists: elsewhere Elasticsearch reads it as the constant null, so {@code ?x == ?y} compares constants.
     */
    private boolean readsField(Expr expr) {
        for (Expr node : QueryFields.subtree(expr)) {
            if (node instanceof Expr.Field f && (!f.optional() || (types.complete() && !types.isUnknown(f.name())))) {
                return true;
            }
        }
        return false;
    }

    private void report(Object node, String message) {
        Optional<SourcePositions.Position> position = positions.of(node);
        problems.add(new Problem(
                position.map(SourcePositions.Position::line).orElse(0),
                position.map(SourcePositions.Position::column).orElse(0),
                message));
    }

    private String suggestion(String name) {
        return NameSuggestion.closest(name, types.byField().keySet(), 2)
                .map(best -> ", did you mean [" + best + "]?")
                .orElse("");
    }
}
