package io.eqlwatch.eql.analysis;

import io.eqlwatch.eql.ast.EqlFunction;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.eval.Cidr;
import io.eqlwatch.eql.eval.Compiler;
import java.util.List;

/**
 * The argument checks Elasticsearch's analyzer makes on EQL function calls that can be decided
 * without a mapping: constants of the wrong type ({@code length(5)}), arguments that must be
 * constants ({@code cidrMatch}'s blocks, {@code number}'s base, {@code between}'s greedy flag) and
 * malformed CIDR blocks. Part of the analysis pass: the first problem of a call is reported.
 */
final class FunctionArgumentChecks {

    private enum Kind {
        STRING,
        NUMERIC,
        INTEGER,
        BOOLEAN,
        ANY
    }

    private FunctionArgumentChecks() {}

    /** The first problem with the call's arguments (arity included), or {@code null} when there is none. */
    static String problem(EqlFunction function, List<Expr> args) {
        if (args.size() < function.minArguments() || args.size() > function.maxArguments()) {
            return "function [" + function.canonicalName() + "] takes " + function.arityDescription()
                    + " but was given " + args.size();
        }
        try {
            check(function, args);
            return null;
        } catch (Refused refused) {
            return refused.getMessage();
        }
    }

    /** Ends the checks of one call at its first problem. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static void check(EqlFunction function, List<Expr> args) {
        switch (function) {
            case ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULO -> {
                expect(function, args, 0, Kind.NUMERIC);
                expect(function, args, 1, Kind.NUMERIC);
            }
            case BETWEEN -> {
                expect(function, args, 0, Kind.STRING);
                expect(function, args, 1, Kind.STRING);
                expect(function, args, 2, Kind.STRING);
                if (args.size() > 3) {
                    constant(function, args, 3);
                    expect(function, args, 3, Kind.BOOLEAN);
                }
            }
            case CIDR_MATCH -> {
                expect(function, args, 0, Kind.STRING);
                for (int i = 1; i < args.size(); i++) {
                    constant(function, args, i);
                    expect(function, args, i, Kind.STRING);
                    if (args.get(i) instanceof Expr.Literal l && l.value() instanceof String cidr) {
                        try {
                            Cidr.parse(cidr);
                        } catch (IllegalArgumentException e) {
                            throw new Refused(ordinal(i) + " argument of [" + function.canonicalName()
                                    + "] is not a valid CIDR block: [" + cidr + "]");
                        }
                    }
                }
            }
            case ENDS_WITH, STARTS_WITH, STRING_CONTAINS -> {
                expect(function, args, 0, Kind.STRING);
                expect(function, args, 1, Kind.STRING);
            }
            case INDEX_OF -> {
                expect(function, args, 0, Kind.STRING);
                expect(function, args, 1, Kind.STRING);
                if (args.size() > 2) {
                    expect(function, args, 2, Kind.INTEGER);
                }
            }
            case LENGTH -> expect(function, args, 0, Kind.STRING);
            case NUMBER -> {
                expect(function, args, 0, Kind.STRING);
                if (args.size() > 1) {
                    constant(function, args, 1);
                    expect(function, args, 1, Kind.INTEGER);
                }
            }
            case SUBSTRING -> {
                expect(function, args, 0, Kind.STRING);
                expect(function, args, 1, Kind.INTEGER);
                if (args.size() > 2) {
                    expect(function, args, 2, Kind.INTEGER);
                }
            }
            case CONCAT, STRING -> {
                // any type
            }
            default -> throw new IllegalStateException("no argument checks for " + function);
        }
    }

    private static void constant(EqlFunction function, List<Expr> args, int i) {
        if (Compiler.referencesField(args.get(i))) {
            throw new Refused(
                    ordinal(i) + " argument of [" + function.canonicalName() + "] must be a constant, not a field");
        }
    }

    /**
     * Constants are checked by value, and expressions whose type the syntax fixes (a comparison is a boolean,
     * arithmetic a number) by that type, as Elasticsearch's analyzer does ("must be [string]"): such an argument
     * would otherwise reach the evaluator and fail every event. A field's or a function's type is known only at
     * run time here, so those pass. Null is always allowed.
     */
    private static void expect(EqlFunction function, List<Expr> args, int i, Kind kind) {
        Kind fixed = fixedKind(args.get(i));
        if (fixed != null && !accepts(kind, fixed)) {
            throw new Refused(ordinal(i) + " argument of [" + function.canonicalName() + "] must be " + kindName(kind)
                    + ", found " + kindName(fixed) + " expression");
        }
        if (!(args.get(i) instanceof Expr.Literal literal) || literal.value() == null) {
            return;
        }
        Object v = literal.value();
        boolean ok =
                switch (kind) {
                    case STRING -> v instanceof String;
                    case NUMERIC -> v instanceof Long || v instanceof Double;
                    case INTEGER -> v instanceof Long;
                    case BOOLEAN -> v instanceof Boolean;
                    case ANY -> true;
                };
        if (!ok) {
            String shown = v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
            throw new Refused(ordinal(i) + " argument of [" + function.canonicalName() + "] must be " + kindName(kind)
                    + ", found value [" + shown + "]");
        }
    }

    /** The type an expression has whatever the events hold, or {@code null} when only its values tell. */
    private static Kind fixedKind(Expr expr) {
        if (expr instanceof Expr.Not
                || expr instanceof Expr.And
                || expr instanceof Expr.Or
                || expr instanceof Expr.Comparison
                || expr instanceof Expr.In
                || expr instanceof Expr.Match) {
            return Kind.BOOLEAN;
        }
        if (expr instanceof Expr.Arithmetic || expr instanceof Expr.Negate) {
            return Kind.NUMERIC;
        }
        return null;
    }

    private static boolean accepts(Kind wanted, Kind given) {
        return switch (wanted) {
            case ANY -> true;
            case STRING -> given == Kind.STRING;
            case BOOLEAN -> given == Kind.BOOLEAN;
                // arithmetic on integers stays integral: only the value can tell, so a number passes both
            case NUMERIC, INTEGER -> given == Kind.NUMERIC || given == Kind.INTEGER;
        };
    }

    private static String kindName(Kind kind) {
        return switch (kind) {
            case STRING -> "a string";
            case NUMERIC -> "a number";
            case INTEGER -> "an integer";
            case BOOLEAN -> "a boolean";
            case ANY -> "a value";
        };
    }

    private static String ordinal(int i) {
        return switch (i) {
            case 0 -> "first";
            case 1 -> "second";
            case 2 -> "third";
            case 3 -> "fourth";
            default -> (i + 1) + "th";
        };
    }
}
