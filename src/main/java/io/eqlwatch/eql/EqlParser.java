package io.eqlwatch.eql;

import io.eqlwatch.eql.analysis.Problem;
import io.eqlwatch.eql.analysis.Verifier;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.parser.EqlSyntaxException;
import io.eqlwatch.eql.parser.QueryParser;
import io.eqlwatch.event.FieldTypes;
import java.util.List;

/**
 * Entry point of the EQL language: query text in, AST out. Parsing is followed by the analysis pass
 * ({@link Verifier}) without a mapping; with the field types of a rule's indices, run
 * {@link Verifier#verify} again to also find fields that exist nowhere.
 */
public final class EqlParser {

    private EqlParser() {}

    /**
     * Parses an Elasticsearch EQL query (with its pipes).
     *
     * @throws EqlSyntaxException with the line, column and reason when Elasticsearch would reject
     *                            the query
     */
    public static Query parse(String query) {
        Query parsed = QueryParser.parse(query);
        List<Problem> problems = Verifier.verify(parsed, FieldTypes.NONE);
        if (!problems.isEmpty()) {
            Problem first = problems.get(0);
            throw new EqlSyntaxException(first.line(), first.column(), first.message());
        }
        return parsed;
    }

    /** Parses a lone condition such as {@code process.name : "cmd.exe" and process.pid > 4}. */
    public static Expr parseExpression(String condition) {
        return QueryParser.parseExpression(condition);
    }
}
