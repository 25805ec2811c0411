package io.eqlwatch.engine;

import io.eqlwatch.eql.EventEvaluator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.event.Event;
import java.util.List;
import java.util.Objects;

/**
 * A deliberately small evaluator for the matcher's tests (field == / != literal, in, and/or/not,
 * true/false), so the matcher is tested on its own rules and not on the language's; the real
 * evaluator is tested by the eql package.
 */
final class TestEvaluator implements EventEvaluator {

    @Override
    public boolean matches(EventQuery query, Event event) {
        if (!query.anyCategory() && !event.values("event.category").contains(query.category())) {
            return false;
        }
        return eval(query.condition(), event);
    }

    private boolean eval(Expr expr, Event event) {
        if (expr instanceof Expr.Literal literal) {
            return Boolean.TRUE.equals(literal.value());
        }
        if (expr instanceof Expr.And and) {
            return eval(and.left(), event) && eval(and.right(), event);
        }
        if (expr instanceof Expr.Or or) {
            return eval(or.left(), event) || eval(or.right(), event);
        }
        if (expr instanceof Expr.Not not) {
            return !eval(not.operand(), event);
        }
        if (expr instanceof Expr.Comparison c
                && c.left() instanceof Expr.Field f
                && c.right() instanceof Expr.Literal l) {
            List<Object> values = event.values(f.name());
            boolean any = values.stream().anyMatch(v -> same(v, l.value()));
            return switch (c.operator()) {
                case EQ -> any;
                case NEQ -> !any;
                default -> throw new UnsupportedOperationException(c.operator().toString());
            };
        }
        if (expr instanceof Expr.In in && in.value() instanceof Expr.Field f) {
            List<Object> values = event.values(f.name());
            boolean any = in.candidates().stream()
                    .anyMatch(cand -> values.stream().anyMatch(v -> same(v, ((Expr.Literal) cand).value())));
            return in.negated() != any;
        }
        throw new UnsupportedOperationException("test evaluator does not support " + expr);
    }

    private static boolean same(Object value, Object literal) {
        if (value instanceof Number a && literal instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return Objects.equals(value, literal);
    }

    @Override
    public List<Object> joinValues(Expr key, Event event) {
        if (key instanceof Expr.Field field) {
            return event.values(field.name());
        }
        throw new UnsupportedOperationException("test evaluator joins on fields only");
    }
}
