package io.eqlwatch.eql.analysis;

import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The field references of a query, in the order they are written: conditions, join keys and {@code until}. */
public final class QueryFields {

    private QueryFields() {}

    /** Every field reference node (the same name may appear more than once). */
    public static List<Expr.Field> references(Query query) {
        List<Expr.Field> out = new ArrayList<>();
        for (Expr node : nodes(query)) {
            if (node instanceof Expr.Field field) {
                out.add(field);
            }
        }
        return out;
    }

    /** Every expression node of the query's conditions, join keys and {@code until}, depth-first in text order. */
    public static List<Expr> nodes(Query query) {
        List<Expr> out = new ArrayList<>();
        if (query.body() instanceof EventQuery event) {
            collect(event.condition(), out);
        } else if (query.body() instanceof SequenceQuery sequence) {
            sequence.by().forEach(key -> collect(key, out));
            sequence.stages().forEach(stage -> collect(stage, out));
            if (sequence.until() != null) {
                collect(sequence.until(), out);
            }
        } else if (query.body() instanceof SampleQuery sample) {
            sample.by().forEach(key -> collect(key, out));
            sample.stages().forEach(stage -> collect(stage, out));
        }
        return out;
    }

    /** The distinct names of the fields the query reads. */
    public static Set<String> names(Query query) {
        Set<String> names = new LinkedHashSet<>();
        references(query).forEach(field -> names.add(field.name()));
        return names;
    }

    /** The fields a rule reads, for the mapping details it needs: the query's and the category field. */
    public static Set<String> readBy(Query query, String categoryField) {
        Set<String> names = names(query);
        names.add(categoryField);
        return names;
    }

    private static void collect(SequenceStage stage, List<Expr> out) {
        collect(stage.event().condition(), out);
        stage.by().forEach(key -> collect(key, out));
    }

    /** Depth-first, left to right, without recursion (IOC lists make very deep and/or chains). */
    static void collect(Expr root, List<Expr> out) {
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Expr expr = pending.pop();
            List<Expr> children = children(expr);
            out.add(expr);
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i));
            }
        }
    }

    /** The expression and every node below it, depth-first. */
    public static List<Expr> subtree(Expr expr) {
        List<Expr> out = new ArrayList<>();
        collect(expr, out);
        return out;
    }

    /** The direct operands of an expression, left to right. */
    public static List<Expr> children(Expr expr) {
        if (expr instanceof Expr.Not n) {
            return List.of(n.operand());
        }
        if (expr instanceof Expr.Negate n) {
            return List.of(n.operand());
        }
        if (expr instanceof Expr.And a) {
            return List.of(a.left(), a.right());
        }
        if (expr instanceof Expr.Or o) {
            return List.of(o.left(), o.right());
        }
        if (expr instanceof Expr.Comparison c) {
            return List.of(c.left(), c.right());
        }
        if (expr instanceof Expr.Arithmetic a) {
            return List.of(a.left(), a.right());
        }
        if (expr instanceof Expr.In in) {
            List<Expr> all = new ArrayList<>(in.candidates().size() + 1);
            all.add(in.value());
            all.addAll(in.candidates());
            return all;
        }
        if (expr instanceof Expr.Match m) {
            List<Expr> all = new ArrayList<>(m.patterns().size() + 1);
            all.add(m.value());
            all.addAll(m.patterns());
            return all;
        }
        if (expr instanceof Expr.Function f) {
            return f.arguments();
        }
        return List.of();
    }
}
