package io.eqlwatch.eql.ast;

/**
 * {@code category where condition}. A {@code null} category stands for {@code any}.
 */
public record EventQuery(String category, Expr condition) implements QueryBody {

    public boolean anyCategory() {
        return category == null;
    }
}
