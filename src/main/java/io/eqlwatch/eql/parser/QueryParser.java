package io.eqlwatch.eql.parser;

import io.eqlwatch.eql.ast.ArithmeticOperator;
import io.eqlwatch.eql.ast.ComparisonOperator;
import io.eqlwatch.eql.ast.EqlFunction;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.MatchOperator;
import io.eqlwatch.eql.ast.Pipe;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.QueryBody;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.eql.ast.SourcePositions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for Elasticsearch EQL, built from the grammar of Elasticsearch's
 * {@code EqlBase.g4}. It knows the grammar (function names included, since they decide how a call
 * parses), the ranges of {@code maxspan} and {@code runs}, and the pipes Elasticsearch runs; the
 * checks of meaning (types, arities, sequence shape, fields against a mapping) are the analysis
 * pass's, {@link io.eqlwatch.eql.analysis.Verifier}, which records where each node was written.
 *
 * <p>Precedence, loosest first, as in Elasticsearch: {@code or}; {@code and}; {@code not}; one
 * non-chainable comparison {@code == != < <= > >=}; {@code + -}; {@code * / %}; unary {@code -};
 * a value with its predicate ({@code in}, {@code :}, {@code like}, {@code regex}).
 */
public final class QueryParser {

    /** Pipes Elasticsearch recognises by name but refuses to run. */
    private static final Set<String> UNSUPPORTED_PIPES = Set.of("count", "filter", "sort", "unique", "unique_count");

    private static final int MAX_RUNS = 100;
    /** Deeper nesting than any real query needs; beyond it the recursion would exhaust the stack. */
    private static final int MAX_DEPTH = 200;

    private final List<Token> tokens;
    private int index;
    private int depth;
    private final SourcePositions.Builder positions = new SourcePositions.Builder();

    private QueryParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Parses a whole query. */
    public static Query parse(String query) {
        if (query == null) {
            throw new EqlSyntaxException(1, 1, "the query is missing");
        }
        QueryParser parser = new QueryParser(Lexer.tokenize(query));
        return parser.query();
    }

    /** Parses a lone condition, as written after {@code where}. */
    public static Expr parseExpression(String expression) {
        QueryParser parser = new QueryParser(Lexer.tokenize(expression));
        Expr expr = parser.expression();
        parser.expectEnd("an operator or end of expression");
        return expr;
    }

    // ---------------------------------------------------------------- token helpers

    private Token peek() {
        return tokens.get(index);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.max(0, Math.min(index + ahead, tokens.size() - 1)));
    }

    private boolean at(TokenType type) {
        return peek().type() == type;
    }

    private Token advance() {
        Token token = peek();
        if (token.type() != TokenType.EOF) {
            index++;
        }
        return token;
    }

    private boolean accept(TokenType type) {
        if (at(type)) {
            advance();
            return true;
        }
        return false;
    }

    private Token expect(TokenType type) {
        if (!at(type)) {
            throw expected(type.description());
        }
        return advance();
    }

    private EqlSyntaxException expected(String what) {
        Token found = peek();
        return new EqlSyntaxException(
                found.line(), found.column(), "expected " + what + " but found " + found.describe());
    }

    private static EqlSyntaxException error(Token at, String message) {
        return new EqlSyntaxException(at.line(), at.column(), message);
    }

    private void expectEnd(String what) {
        if (!at(TokenType.EOF)) {
            throw expected(what);
        }
    }

    // ---------------------------------------------------------------- statements

    private Query query() {
        QueryBody body;
        Token start = peek();
        switch (start.type()) {
            case SEQUENCE -> body = sequence();
            case SAMPLE -> body = sample();
            case ANY, IDENTIFIER, STRING -> body = eventFilter();
            case EOF -> throw error(start, "the query is empty");
            default -> {
                if (start.type() == TokenType.IDENTIFIER && "join".equals(start.text())) {
                    throw error(start, "join is not supported");
                }
                throw expected("an event category, 'any', 'sequence' or 'sample'");
            }
        }
        List<Pipe> pipes = new ArrayList<>();
        while (at(TokenType.PIPE)) {
            pipes.add(pipe());
        }
        if (!at(TokenType.EOF)) {
            throw expected(body instanceof EventQuery ? "an operator, '|' or end of query" : "'|' or end of query");
        }
        return new Query(body, pipes, positions.build());
    }

    private EventQuery eventFilter() {
        Token categoryToken = advance();
        String category =
                switch (categoryToken.type()) {
                    case ANY -> null;
                    case IDENTIFIER, STRING -> (String) categoryToken.value();
                    default -> throw error(
                            categoryToken, "expected an event category or 'any' but found " + categoryToken.describe());
                };
        if (!at(TokenType.WHERE)) {
            throw expected("'where'");
        }
        advance();
        Expr condition = expression();
        EventQuery query = new EventQuery(category, condition);
        // where a condition's problem is reported when no operand position is known: after it, as before
        positions.put(query, peek().line(), peek().column());
        return query;
    }

    private SequenceQuery sequence() {
        Token sequenceToken = expect(TokenType.SEQUENCE);
        List<Expr> by = List.of();
        Duration maxspan = null;
        if (at(TokenType.BY)) {
            by = joinKeys();
            if (at(TokenType.WITH)) {
                maxspan = maxspan();
            }
        } else if (at(TokenType.WITH)) {
            maxspan = maxspan();
            if (at(TokenType.BY)) {
                throw error(peek(), "please specify sequence [by] before [with] not after");
            }
        }
        if (!at(TokenType.LB) && !at(TokenType.MISSING_EVENT_OPEN)) {
            throw expected(by.isEmpty() && maxspan == null ? "'by', 'with', '[' or '!['" : "'[' or '!['");
        }
        List<SequenceStage> stages = new ArrayList<>();
        List<Token> stageStarts = new ArrayList<>();
        while (at(TokenType.LB) || at(TokenType.MISSING_EVENT_OPEN)) {
            stageStarts.add(peek());
            stages.add(sequenceStage(true));
        }
        // "[a] with runs=2" counts as two stages, as Elasticsearch expands runs before counting
        int expandedStages = stages.stream().mapToInt(SequenceStage::runs).sum();
        if (expandedStages < 2) {
            throw at(TokenType.EOF) || at(TokenType.UNTIL) || at(TokenType.PIPE)
                    ? error(peek(), "a sequence needs at least 2 stages but found " + expandedStages)
                    : expected("'['");
        }
        SequenceStage until = null;
        Token untilToken = null;
        if (at(TokenType.UNTIL)) {
            advance();
            untilToken = peek();
            if (at(TokenType.MISSING_EVENT_OPEN)) {
                throw error(untilToken, "a missing event ![...] cannot be used as the until condition");
            }
            if (!at(TokenType.LB)) {
                throw expected("'['");
            }
            until = sequenceStage(false);
        }

        for (int i = 0; i < stages.size(); i++) {
            Token start = stageStarts.get(i);
            positions.put(stages.get(i), start.line(), start.column());
        }
        if (until != null) {
            positions.put(until, untilToken.line(), untilToken.column());
        }
        // join-key counts, maxspan for missing events and the like are the analysis pass's (Verifier) to check
        SequenceQuery sequence = new SequenceQuery(by, maxspan, stages, until);
        positions.put(sequence, sequenceToken.line(), sequenceToken.column());
        return sequence;
    }

    private SampleQuery sample() {
        advance();
        List<Expr> by = at(TokenType.BY) ? joinKeys() : List.of();
        if (at(TokenType.WITH)) {
            throw error(peek(), "samples do not support 'with maxspan' or 'with runs'");
        }
        List<SequenceStage> stages = new ArrayList<>();
        while (at(TokenType.LB) || at(TokenType.MISSING_EVENT_OPEN)) {
            Token start = peek();
            if (at(TokenType.MISSING_EVENT_OPEN)) {
                throw error(start, "missing events ![...] are only supported in sequences, not in samples");
            }
            SequenceStage stage = sequenceStage(false);
            positions.put(stage, start.line(), start.column());
            stages.add(stage);
        }
        if (at(TokenType.UNTIL)) {
            throw error(peek(), "samples do not support 'until'");
        }
        if (stages.size() < 2) {
            throw at(TokenType.EOF) || at(TokenType.PIPE)
                    ? error(peek(), "a sample needs at least 2 stages but found " + stages.size())
                    : expected(stages.isEmpty() && by.isEmpty() ? "'by' or '['" : "'['");
        }
        SampleQuery sample = new SampleQuery(by, stages);
        // a sample without join keys is reported where its stages end
        positions.put(sample, peek().line(), peek().column());
        return sample;
    }

    /** {@code [filter] by keys with runs=N}, or {@code ![filter] by keys} when {@code allowRuns}. */
    private SequenceStage sequenceStage(boolean inSequence) {
        boolean missing = at(TokenType.MISSING_EVENT_OPEN);
        advance();
        EventQuery event = eventFilter();
        if (!at(TokenType.RB)) {
            throw expected("']'");
        }
        advance();
        List<Expr> by = at(TokenType.BY) ? joinKeys() : List.of();
        int runs = 1;
        if (at(TokenType.WITH) && inSequence) {
            advance();
            Token key = peek();
            if (key.type() == TokenType.MAXSPAN) {
                throw error(
                        key,
                        "maxspan belongs to the sequence: write 'sequence with maxspan=...' before the"
                                + " first stage");
            }
            if (key.type() != TokenType.IDENTIFIER) {
                throw expected("'runs'");
            }
            if (!"runs".equals(key.text())) {
                throw error(key, "unrecognized stage option [" + key.text() + "], expecting [runs]");
            }
            advance();
            expect(TokenType.ASSIGN);
            Token value = peek();
            if (value.type() == TokenType.DECIMAL) {
                throw error(
                        value,
                        "runs must be an integer between 1 and " + MAX_RUNS + " but found [" + value.text() + "]");
            }
            if (value.type() != TokenType.INTEGER) {
                throw expected("an integer");
            }
            advance();
            long n = (Long) value.value();
            if (n < 1 || n > MAX_RUNS) {
                throw error(value, "runs must be between 1 and " + MAX_RUNS + " but found [" + n + "]");
            }
            // Elasticsearch accepts runs on a missing event too: ![x] with runs=2 stands for two missing stages
            runs = (int) n;
            if (at(TokenType.BY)) {
                throw error(peek(), "please specify the stage's [by] before [with runs] not after");
            }
        }
        return new SequenceStage(event, by, runs, missing);
    }

    private List<Expr> joinKeys() {
        expect(TokenType.BY);
        List<Expr> keys = new ArrayList<>();
        do {
            Token start = peek();
            Expr key = expression();
            if (!(key instanceof Expr.Field)) {
                throw error(start, "a join key must be a field name");
            }
            keys.add(key);
        } while (accept(TokenType.COMMA));
        return keys;
    }

    private Duration maxspan() {
        expect(TokenType.WITH);
        Token key = peek();
        if (key.type() == TokenType.IDENTIFIER && "runs".equals(key.text())) {
            throw error(key, "runs belongs to a stage: write it after the stage, as in '[...] with runs=3'");
        }
        expect(TokenType.MAXSPAN);
        expect(TokenType.ASSIGN);
        Token number = peek();
        if (number.type() == TokenType.DECIMAL) {
            throw error(
                    number,
                    "decimal time interval [" + number.text() + "] not supported; please use a positive integer");
        }
        if (number.type() != TokenType.INTEGER) {
            throw expected("a time span such as 30s");
        }
        advance();
        long value = (Long) number.value();
        if (value <= 0) {
            throw error(number, "a positive maxspan value is required; found [" + value + "]");
        }
        Token unit = peek();
        if (unit.type() != TokenType.IDENTIFIER) {
            throw error(number, "no time unit specified, did you mean [s] as in [" + value + "s]?");
        }
        advance();
        try {
            return switch (unit.text()) {
                case "ms" -> Duration.ofMillis(value);
                case "s" -> Duration.ofSeconds(value);
                case "m" -> Duration.ofMinutes(value);
                case "h" -> Duration.ofHours(value);
                case "d" -> Duration.ofDays(value);
                default -> throw error(
                        unit,
                        "unrecognized time unit [" + unit.text() + "] in [" + value + unit.text()
                                + "], please specify one of [ms, s, m, h, d]");
            };
        } catch (ArithmeticException e) {
            throw error(number, "maxspan [" + value + unit.text() + "] is too large");
        }
    }

    private Pipe pipe() {
        Token pipeToken = expect(TokenType.PIPE);
        Token name = peek();
        if (name.type() != TokenType.IDENTIFIER) {
            throw expected("a pipe name ('head' or 'tail')");
        }
        advance();
        List<Expr> arguments = new ArrayList<>();
        Token firstArgument = peek();
        if (!at(TokenType.PIPE) && !at(TokenType.EOF)) {
            do {
                arguments.add(expression());
            } while (accept(TokenType.COMMA));
        }
        String pipeName = name.text();
        if (UNSUPPORTED_PIPES.contains(pipeName)) {
            throw error(
                    name,
                    "pipe [" + pipeName + "] is not supported; Elasticsearch EQL supports only [head] and [tail]");
        }
        if (!pipeName.equals("head") && !pipeName.equals("tail")) {
            throw error(
                    name, "unrecognized pipe [" + pipeName + "]; Elasticsearch EQL supports only [head] and [tail]");
        }
        if (arguments.size() != 1) {
            throw error(
                    arguments.isEmpty() ? pipeToken : firstArgument,
                    "pipe [" + pipeName + "] expects exactly one argument but found [" + arguments.size() + "]");
        }
        if (!(arguments.get(0) instanceof Expr.Literal literal && literal.value() instanceof Long n)
                || n < 0
                || n > Integer.MAX_VALUE) {
            throw error(
                    firstArgument,
                    "pipe [" + pipeName + "] expects a positive integer but found [" + sourceText(firstArgument) + "]");
        }
        return pipeName.equals("head") ? new Pipe.Head(n.intValue()) : new Pipe.Tail(n.intValue());
    }

    /** The source text from {@code from} up to the current token, for error messages. */
    private String sourceText(Token from) {
        StringBuilder text = new StringBuilder();
        int start = tokens.indexOf(from);
        for (int i = start; i < index; i++) {
            if (i > start) {
                text.append(' ');
            }
            text.append(tokens.get(i).text());
        }
        return text.toString();
    }

    // ---------------------------------------------------------------- expressions

    private Expr expression() {
        if (++depth > MAX_DEPTH) {
            throw error(peek(), "expression nested too deeply (more than " + MAX_DEPTH + " levels)");
        }
        try {
            return or();
        } finally {
            depth--;
        }
    }

    private Expr or() {
        Expr left = and();
        while (accept(TokenType.OR)) {
            left = new Expr.Or(left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (accept(TokenType.AND)) {
            left = new Expr.And(left, not());
        }
        return left;
    }

    private Expr not() {
        Token start = peek();
        Expr result;
        if (accept(TokenType.NOT)) {
            if (++depth > MAX_DEPTH) {
                throw error(start, "expression nested too deeply (more than " + MAX_DEPTH + " levels)");
            }
            try {
                result = new Expr.Not(not());
            } finally {
                depth--;
            }
        } else {
            result = comparison();
        }
        positions.put(result, start.line(), start.column());
        return result;
    }

    private Expr comparison() {
        Token leftStart = peek();
        Expr left = arithmetic();
        ComparisonOperator operator = comparisonOperator(peek().type());
        if (operator == null) {
            if (at(TokenType.ASSIGN)) {
                throw error(peek(), "'=' is not an operator in EQL; use '==' or ':'");
            }
            return left;
        }
        Token operatorToken = advance();
        Expr right = arithmetic();
        if (comparisonOperator(peek().type()) != null) {
            throw error(peek(), "comparisons cannot be chained; combine them with 'and' instead");
        }
        Expr.Comparison comparison = new Expr.Comparison(operator, left, right);
        positions.put(comparison, operatorToken.line(), operatorToken.column());
        return comparison;
    }

    private static ComparisonOperator comparisonOperator(TokenType type) {
        return switch (type) {
            case EQ -> ComparisonOperator.EQ;
            case NEQ -> ComparisonOperator.NEQ;
            case LT -> ComparisonOperator.LT;
            case LTE -> ComparisonOperator.LTE;
            case GT -> ComparisonOperator.GT;
            case GTE -> ComparisonOperator.GTE;
            default -> null;
        };
    }

    private Expr arithmetic() {
        Expr left = term();
        while (at(TokenType.PLUS) || at(TokenType.MINUS)) {
            ArithmeticOperator operator =
                    advance().type() == TokenType.PLUS ? ArithmeticOperator.ADD : ArithmeticOperator.SUBTRACT;
            left = new Expr.Arithmetic(operator, left, term());
        }
        return left;
    }

    private Expr term() {
        Expr left = unary();
        while (at(TokenType.ASTERISK) || at(TokenType.SLASH) || at(TokenType.PERCENT)) {
            ArithmeticOperator operator =
                    switch (advance().type()) {
                        case ASTERISK -> ArithmeticOperator.MULTIPLY;
                        case SLASH -> ArithmeticOperator.DIVIDE;
                        default -> ArithmeticOperator.MODULO;
                    };
            left = new Expr.Arithmetic(operator, left, unary());
        }
        return left;
    }

    private Expr unary() {
        if (at(TokenType.PLUS) || at(TokenType.MINUS)) {
            if (++depth > MAX_DEPTH) {
                throw error(peek(), "expression nested too deeply (more than " + MAX_DEPTH + " levels)");
            }
            try {
                return signed();
            } finally {
                depth--;
            }
        }
        Expr value = primary();
        return predicate(value);
    }

    private Expr signed() {
        if (accept(TokenType.PLUS)) {
            return unary();
        }
        advance();
        Expr operand = unary();
        // fold negative number literals so that "-1" is the constant -1, as Elasticsearch folds it
        if (operand instanceof Expr.Literal literal && literal.value() instanceof Long l) {
            return new Expr.Literal(-l);
        }
        if (operand instanceof Expr.Literal literal && literal.value() instanceof Double d) {
            return new Expr.Literal(-d);
        }
        return new Expr.Negate(operand);
    }

    private Expr predicate(Expr value) {
        Token token = peek();
        switch (token.type()) {
            case NOT -> {
                if (peek(1).type() != TokenType.IN && peek(1).type() != TokenType.IN_INSENSITIVE) {
                    throw error(peek(1), "expected 'in' or 'in~' after 'not' but found " + peek(1).describe());
                }
                advance();
                boolean insensitive = advance().type() == TokenType.IN_INSENSITIVE;
                return new Expr.In(value, inList(value), true, insensitive);
            }
            case IN, IN_INSENSITIVE -> {
                advance();
                return new Expr.In(value, inList(value), false, token.type() == TokenType.IN_INSENSITIVE);
            }
            case SEQ -> {
                advance();
                return new Expr.Match(MatchOperator.COLON, value, patterns(token), true);
            }
            case LIKE, LIKE_INSENSITIVE -> {
                advance();
                return new Expr.Match(
                        MatchOperator.LIKE, value, patterns(token), token.type() == TokenType.LIKE_INSENSITIVE);
            }
            case REGEX, REGEX_INSENSITIVE -> {
                advance();
                // whether each pattern is a valid regular expression is the analysis pass's (Verifier) to check
                Expr.Match match = new Expr.Match(
                        MatchOperator.REGEX, value, patterns(token), token.type() == TokenType.REGEX_INSENSITIVE);
                positions.put(match, token.line(), token.column());
                return match;
            }
            default -> {
                return value;
            }
        }
    }

    private List<Expr> inList(Expr value) {
        expect(TokenType.LP);
        List<Expr> candidates = new ArrayList<>();
        do {
            Token start = peek();
            Expr candidate = expression();
            positions.put(candidate, start.line(), start.column());
            candidates.add(candidate);
        } while (accept(TokenType.COMMA));
        if (!at(TokenType.RP)) {
            throw expected("',' or ')'");
        }
        advance();
        return candidates;
    }

    /** The right side of {@code :}, {@code like}, {@code regex}: one string or a parenthesised list of them. */
    private List<Expr> patterns(Token operator) {
        List<Expr> patterns = new ArrayList<>();
        if (accept(TokenType.LP)) {
            do {
                patterns.add(patternConstant(operator));
            } while (accept(TokenType.COMMA));
            if (!at(TokenType.RP)) {
                throw expected("',' or ')'");
            }
            advance();
        } else {
            patterns.add(patternConstant(operator));
        }
        return patterns;
    }

    private Expr patternConstant(Token operator) {
        Token token = peek();
        if (token.type() == TokenType.STRING) {
            advance();
            return new Expr.Literal(token.value());
        }
        if (isConstantStart(token.type())) {
            throw error(
                    token,
                    "'" + operator.text() + "' compares strings only; expected a string but found " + token.describe());
        }
        throw expected("a string");
    }

    private static boolean isConstantStart(TokenType type) {
        return type == TokenType.INTEGER
                || type == TokenType.DECIMAL
                || type == TokenType.NULL
                || type == TokenType.TRUE
                || type == TokenType.FALSE
                || type == TokenType.MINUS;
    }

    private Expr primary() {
        Token token = peek();
        switch (token.type()) {
            case STRING, INTEGER, DECIMAL -> {
                advance();
                return new Expr.Literal(token.value());
            }
            case TRUE -> {
                advance();
                return new Expr.Literal(Boolean.TRUE);
            }
            case FALSE -> {
                advance();
                return new Expr.Literal(Boolean.FALSE);
            }
            case NULL -> {
                advance();
                return new Expr.Literal(null);
            }
            case LP -> {
                advance();
                Expr inner = expression();
                if (!at(TokenType.RP)) {
                    throw expected("')'");
                }
                advance();
                return inner;
            }
            case TILDE_IDENTIFIER -> {
                return functionCall();
            }
            case IDENTIFIER -> {
                if (peek(1).type() == TokenType.LP) {
                    return functionCall();
                }
                return field(false);
            }
            case ESCAPED_IDENTIFIER -> {
                return field(false);
            }
            case OPTIONAL -> {
                advance();
                if (!at(TokenType.IDENTIFIER) && !at(TokenType.ESCAPED_IDENTIFIER)) {
                    throw expected("a field name after '?'");
                }
                return field(true);
            }
            default -> throw expected("a value, field name or function call");
        }
    }

    private Expr field(boolean optional) {
        Token start = optional ? peek(-1) : peek();
        StringBuilder name = new StringBuilder((String) advance().value());
        while (true) {
            if (at(TokenType.DOT)) {
                advance();
                Token part = peek();
                // Keywords are fine after a dot ("event.sequence" cannot be read as anything else).
                if (part.type() == TokenType.IDENTIFIER
                        || part.type() == TokenType.ESCAPED_IDENTIFIER
                        || isWord(part)) {
                    advance();
                    name.append('.').append(part.value());
                } else {
                    throw expected("a field name after '.'");
                }
            } else if (at(TokenType.LB) && peek(1).type() == TokenType.INTEGER) {
                throw error(peek(), "array indexes are not supported");
            } else if (at(TokenType.DECIMAL) && peek().text().startsWith(".")) {
                // "a.5b" lexes as a, .5, b; a number cannot follow a field name
                throw error(peek(), "a field name part cannot start with a digit; quote it with backticks");
            } else {
                Expr.Field field = new Expr.Field(name.toString(), optional);
                positions.put(field, start.line(), start.column());
                return field;
            }
        }
    }

    private static boolean isWord(Token token) {
        String text = token.text();
        return !text.isEmpty()
                && Character.isLetter(text.charAt(0))
                && token.type() != TokenType.TILDE_IDENTIFIER
                && text.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_');
    }

    private Expr functionCall() {
        Token nameToken = advance();
        boolean insensitive = nameToken.type() == TokenType.TILDE_IDENTIFIER;
        String written = (String) nameToken.value();
        if (!at(TokenType.LP)) {
            throw expected("'(' after function name " + nameToken.describe());
        }
        advance();
        List<Expr> arguments = new ArrayList<>();
        if (!at(TokenType.RP)) {
            do {
                arguments.add(expression());
            } while (accept(TokenType.COMMA));
        }
        if (!at(TokenType.RP)) {
            throw expected("',' or ')'");
        }
        advance();
        EqlFunction function = EqlFunction.byName(written);
        if (function == null) {
            throw error(nameToken, "unknown function [" + written + "]" + suggestion(written));
        }
        if (insensitive && !function.hasInsensitiveForm()) {
            throw error(
                    nameToken,
                    "function [" + function.canonicalName() + "] has no case-insensitive form [" + written + "~]");
        }
        // arity and argument types are the analysis pass's (Verifier) to check
        Expr.Function call = new Expr.Function(function.canonicalName(), insensitive, arguments);
        positions.put(call, nameToken.line(), nameToken.column());
        return call;
    }

    private static String suggestion(String written) {
        return NameSuggestion.closest(
                        written,
                        Arrays.stream(EqlFunction.values())
                                .map(EqlFunction::canonicalName)
                                .toList(),
                        2)
                .map(best -> ", did you mean [" + best + "]?")
                .orElse("");
    }
}
