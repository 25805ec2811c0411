package io.eqlwatch.eql.ast;

public enum ComparisonOperator {
    EQ("=="),
    NEQ("!="),
    LT("<"),
    LTE("<="),
    GT(">"),
    GTE(">=");

    private final String symbol;

    ComparisonOperator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** The operator with its operands swapped: {@code 3 < x} is {@code x > 3}. */
    public ComparisonOperator mirrored() {
        return switch (this) {
            case LT -> GT;
            case LTE -> GTE;
            case GT -> LT;
            case GTE -> LTE;
            default -> this;
        };
    }
}
