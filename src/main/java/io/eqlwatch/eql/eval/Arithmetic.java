package io.eqlwatch.eql.eval;

import io.eqlwatch.eql.ast.ArithmeticOperator;

/**
 * EQL arithmetic ({@code + - * / %} and add/subtract/multiply/divide/modulo): integers stay
 * integers, so {@code 4 / 3} is 1 as the reference warns; any null gives null. Where
 * Elasticsearch would fail the whole search (division by zero, long overflow, a non-number) the
 * result is null, so the event does not match.
 */
final class Arithmetic {

    private Arithmetic() {}

    static Object apply(ArithmeticOperator operator, Object left, Object right) {
        Number a = number(left);
        Number b = number(right);
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof Long x && b instanceof Long y) {
            try {
                return switch (operator) {
                    case ADD -> Math.addExact(x, y);
                    case SUBTRACT -> Math.subtractExact(x, y);
                    case MULTIPLY -> Math.multiplyExact(x, y);
                    case DIVIDE -> y == 0 ? null : (Object) (x / y);
                    case MODULO -> y == 0 ? null : (Object) (x % y);
                };
            } catch (ArithmeticException overflow) {
                return null;
            }
        }
        double x = a.doubleValue();
        double y = b.doubleValue();
        Double result =
                switch (operator) {
                    case ADD -> x + y;
                    case SUBTRACT -> x - y;
                    case MULTIPLY -> x * y;
                    case DIVIDE -> y == 0 ? null : x / y;
                    case MODULO -> y == 0 ? null : x % y;
                };
        return result == null || result.isNaN() || result.isInfinite() ? null : result;
    }

    static Object negate(Object value) {
        Number n = number(value);
        if (n instanceof Long l) {
            return l == Long.MIN_VALUE ? null : -l;
        }
        return n == null ? null : -n.doubleValue();
    }

    private static Number number(Object value) {
        if (value instanceof Long || value instanceof Double) {
            return (Number) value;
        }
        if (value instanceof Number n) {
            return (Number) TypedValues.plain(n);
        }
        return null;
    }
}
