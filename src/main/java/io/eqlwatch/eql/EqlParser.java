package io.eqlwatch.eql;

import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.parser.QueryParser;

/** Entry point of the EQL language: query text in, AST out. */
public final class EqlParser {

    private EqlParser() {
    }

    /**
     * Parses an Elasticsearch EQL query (with its pipes).
     *
     * @throws EqlSyntaxException with the line, column and reason when Elasticsearch would reject
     *                            the query
     */
    public static Query parse(String query) {
        return QueryParser.parse(query);
    }

    /** Parses a lone condition such as {@code process.name : "cmd.exe" and process.pid > 4}. */
    public static Expr parseExpression(String condition) {
        return QueryParser.parseExpression(condition);
    }
}
