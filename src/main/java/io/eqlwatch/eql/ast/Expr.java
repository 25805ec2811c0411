package io.eqlwatch.eql.ast;

import java.util.List;

/** A boolean or value expression inside a {@code where} clause or a join key. */
public sealed interface Expr {

    /** A constant: {@code String}, {@code Long}, {@code Double}, {@code Boolean} or {@code null}. */
    record Literal(Object value) implements Expr {}

    /** A field reference; {@code optional} for {@code ?field}. The name is the full dotted path. */
    record Field(String name, boolean optional) implements Expr {}

    record Not(Expr operand) implements Expr {}

    record And(Expr left, Expr right) implements Expr {}

    record Or(Expr left, Expr right) implements Expr {}

    /** {@code == != < <= > >=}: case-sensitive. */
    record Comparison(ComparisonOperator operator, Expr left, Expr right) implements Expr {}

    /** {@code value in (...)}, {@code in~}, {@code not in}. */
    record In(Expr value, List<Expr> candidates, boolean negated, boolean caseInsensitive) implements Expr {
        public In {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * Pattern operators: {@code :} (case-insensitive, wildcards {@code *} and {@code ?}),
     * {@code like}/{@code like~} (wildcards) and {@code regex}/{@code regex~}; a list on the right
     * matches when any pattern does.
     */
    record Match(MatchOperator operator, Expr value, List<Expr> patterns, boolean caseInsensitive) implements Expr {
        public Match {
            patterns = List.copyOf(patterns);
        }
    }

    /**
     * {@code name(args)} or {@code name~(args)}. The parser stores the name as the Elasticsearch
     * reference spells it ({@code cidrMatch}, also for {@code cidrmatch(...)}: Elasticsearch resolves
     * function names case-insensitively); see {@link EqlFunction}.
     */
    record Function(String name, boolean caseInsensitive, List<Expr> arguments) implements Expr {
        public Function {
            arguments = List.copyOf(arguments);
        }
    }

    /** {@code + - * / %}. */
    record Arithmetic(ArithmeticOperator operator, Expr left, Expr right) implements Expr {}

    /** Unary minus. */
    record Negate(Expr operand) implements Expr {}
}
