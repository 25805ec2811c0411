package io.eqlwatch.eql.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.ast.ComparisonOperator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.MatchOperator;
import io.eqlwatch.eql.eval.Cidr;
import io.eqlwatch.eql.eval.IpAddresses;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Translates an EQL event query into an Elasticsearch query-DSL filter that returns a SUPERSET of
 * the events the in-memory evaluator accepts; the evaluator then decides.
 *
 * <p>Every boolean subexpression is translated twice: a filter for the events where it may be
 * TRUE, and one for the events where it may be FALSE (EQL is three-valued: {@code not} of null is
 * null, never true). {@code not e} is then "e may be false", {@code a and b} is false when either
 * may be, and so on, so a coarsened subtree stays coarse under negation instead of flipping into
 * a wrong, too-strict filter. A leaf that cannot be pushed down exactly (functions, arithmetic,
 * field-vs-field, a literal the field's mapped type cannot take, fields of
 * unknown or text type) becomes {@code exists} on its field where the comparison needs a value, or
 * {@code match_all}; its "may be false" side becomes {@code match_all}.
 *
 * <p>Multi-valued fields follow Elasticsearch: {@code ==}, {@code :}, {@code in} match when any
 * value does, and {@code !=} is {@code must_not term}, true on a missing field.
 *
 * <p>Known blind spots shared with Elasticsearch itself: values a keyword field does not index
 * ({@code ignore_above}) are invisible to {@code term} and {@code exists}.
 */
public final class PushDownTranslator {

    /** Elasticsearch EQL's default event category field. */
    public static final String DEFAULT_CATEGORY_FIELD = "event.category";

    private final FieldTypes types;
    private final String categoryField;

    public PushDownTranslator(FieldTypes types) {
        this(types, DEFAULT_CATEGORY_FIELD);
    }

    public PushDownTranslator(FieldTypes types, String categoryField) {
        this.types = Objects.requireNonNull(types, "types");
        this.categoryField = Objects.requireNonNull(categoryField, "categoryField");
    }

    /** The filter for {@code category where condition}: a superset of what the evaluator accepts. */
    public ObjectNode translate(EventQuery query) {
        List<ObjectNode> clauses = new ArrayList<>(2);
        clauses.add(category(query));
        clauses.add(translateCondition(query.condition()));
        return Dsl.and(clauses);
    }

    /** The filter for a condition alone (no category). */
    public ObjectNode translateCondition(Expr condition) {
        return bool(condition).mayBeTrue();
    }

    private ObjectNode category(EventQuery query) {
        if (query.anyCategory()) {
            return Dsl.matchAll();
        }
        FieldType type = types.of(categoryField);
        // The category field is keyword in ECS and in Elasticsearch EQL's own assumptions; only a
        // mapping known to be something else makes the term unsafe.
        if (type != FieldType.KEYWORD && type != FieldType.UNKNOWN) {
            return Dsl.exists(categoryField);
        }
        return Dsl.term(categoryField, Dsl.text(query.category()), false);
    }

    /** Filters for where an expression may evaluate to true, and where it may evaluate to false. */
    private record Filters(ObjectNode mayBeTrue, ObjectNode mayBeFalse) {
        static Filters coarse() {
            return new Filters(Dsl.matchAll(), Dsl.matchAll());
        }

        /** Exact translation of a predicate on a field whose negation is must_not (true on missing fields). */
        static Filters exact(ObjectNode whenTrue) {
            return new Filters(whenTrue, Dsl.not(whenTrue));
        }

        Filters negate() {
            return new Filters(mayBeFalse, mayBeTrue);
        }
    }

    private Filters bool(Expr expr) {
        if (expr instanceof Expr.And and) {
            Filters left = bool(and.left());
            Filters right = bool(and.right());
            return new Filters(
                    Dsl.and(List.of(left.mayBeTrue, right.mayBeTrue)),
                    Dsl.or(List.of(left.mayBeFalse, right.mayBeFalse)));
        }
        if (expr instanceof Expr.Or or) {
            Filters left = bool(or.left());
            Filters right = bool(or.right());
            return new Filters(
                    Dsl.or(List.of(left.mayBeTrue, right.mayBeTrue)),
                    Dsl.and(List.of(left.mayBeFalse, right.mayBeFalse)));
        }
        if (expr instanceof Expr.Not not) {
            return bool(not.operand()).negate();
        }
        if (expr instanceof Expr.Literal literal) {
            if (literal.value() instanceof Boolean b) {
                return b ? new Filters(Dsl.matchAll(), Dsl.matchNone()) : new Filters(Dsl.matchNone(), Dsl.matchAll());
            }
            return Filters.coarse();
        }
        if (expr instanceof Expr.Comparison comparison) {
            return comparison(comparison);
        }
        if (expr instanceof Expr.In in) {
            Filters filters = in(in);
            return in.negated() ? filters.negate() : filters;
        }
        if (expr instanceof Expr.Match match) {
            return match(match);
        }
        if (expr instanceof Expr.Function function) {
            return new Filters(function(function), Dsl.matchAll());
        }
        // A bare field or arithmetic used as a condition: leave it to the evaluator.
        return Filters.coarse();
    }

    // ---- comparisons --------------------------------------------------------------------------

    private Filters comparison(Expr.Comparison comparison) {
        ComparisonOperator op = comparison.operator();
        Expr left = comparison.left();
        Expr right = comparison.right();
        if (!(left instanceof Expr.Field) && right instanceof Expr.Field) {
            Expr swap = left;
            left = right;
            right = swap;
            op = op.mirrored();
        }
        Lit literal = literal(right);
        if (!(left instanceof Expr.Field field) || literal == null) {
            // `cidrMatch(...) == true` and the like: as strict as the boolean expression itself.
            Lit original = literal(comparison.right());
            if (op == ComparisonOperator.EQ && original != null && Boolean.TRUE.equals(original.value())) {
                return new Filters(bool(comparison.left()).mayBeTrue, Dsl.matchAll());
            }
            return Filters.coarse();
        }
        String name = field.name();
        Object value = literal.value();
        if (value == null) {
            // Elasticsearch EQL: `f == null` is "f is missing", `f != null` is "f exists".
            return switch (op) {
                case EQ -> new Filters(Dsl.not(Dsl.exists(name)), Dsl.matchAll());
                case NEQ -> new Filters(Dsl.exists(name), Dsl.matchAll());
                default -> Filters.coarse();
            };
        }
        FieldType type = types.of(name);
        return switch (op) {
            case EQ -> equality(name, type, value);
            case NEQ -> equality(name, type, value).negate();
            case LT, LTE, GT, GTE -> range(name, type, op, value);
        };
    }

    private Filters equality(String field, FieldType type, Object value) {
        Optional<JsonNode> term = termValue(type, value);
        if (term.isEmpty()) {
            // Equality with a value needs the field to hold one.
            return new Filters(Dsl.exists(field), Dsl.matchAll());
        }
        return Filters.exact(Dsl.term(field, term.get(), false));
    }

    private Filters range(String field, FieldType type, ComparisonOperator op, Object value) {
        String bound =
                switch (op) {
                    case LT -> "lt";
                    case LTE -> "lte";
                    case GT -> "gt";
                    case GTE -> "gte";
                    default -> throw new IllegalArgumentException(op.toString());
                };
        ObjectNode range = null;
        switch (type) {
            case LONG -> {
                BigDecimal number = numeric(value);
                if (number != null) {
                    range = longRange(field, op, number);
                }
            }
            case DOUBLE -> {
                BigDecimal number = numeric(value);
                if (number != null) {
                    range = Dsl.range(field, bound, Dsl.number(number.doubleValue()));
                }
            }
            case KEYWORD -> {
                // Keyword ranges compare as strings; a number against a keyword is left to the evaluator.
                if (value instanceof String s) {
                    range = Dsl.range(field, bound, Dsl.text(s));
                }
            }
            case IP -> {
                if (value instanceof String s && IpAddresses.isPlainAddress(s)) {
                    range = Dsl.range(field, bound, Dsl.text(s));
                }
            }
            default -> {}
        }
        if (range == null) {
            return new Filters(Dsl.exists(field), Dsl.matchAll());
        }
        return Filters.exact(range);
    }

    /** Integer bounds for a long field, so a fractional literal never reaches Elasticsearch. */
    private static ObjectNode longRange(String field, ComparisonOperator op, BigDecimal number) {
        boolean integral = number.stripTrailingZeros().scale() <= 0;
        BigDecimal floor = number.setScale(0, java.math.RoundingMode.FLOOR);
        BigDecimal ceil = number.setScale(0, java.math.RoundingMode.CEILING);
        if (integral) {
            return Dsl.range(field, op.name().toLowerCase(Locale.ROOT), Dsl.number(floor.longValueExact()));
        }
        return switch (op) {
            case LT, LTE -> Dsl.range(field, "lte", Dsl.number(floor.longValueExact()));
            case GT, GTE -> Dsl.range(field, "gte", Dsl.number(ceil.longValueExact()));
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    // ---- in, :, like, regex ---------------------------------------------------------------------

    private Filters in(Expr.In in) {
        if (!(in.value() instanceof Expr.Field field)) {
            return Filters.coarse();
        }
        FieldType type = types.of(field.name());
        List<ObjectNode> alternatives = new ArrayList<>();
        List<JsonNode> exact = new ArrayList<>();
        for (Expr candidate : in.candidates()) {
            Lit literal = literal(candidate);
            if (literal == null) {
                return Filters.coarse();
            }
            Object value = literal.value();
            if (value == null) {
                // `f in (null)` is left to the evaluator.
                return Filters.coarse();
            }
            if (in.caseInsensitive()) {
                if (type != FieldType.KEYWORD || !(value instanceof String s)) {
                    return new Filters(Dsl.exists(field.name()), Dsl.matchAll());
                }
                alternatives.add(Dsl.term(field.name(), Dsl.text(s), true));
            } else {
                Optional<JsonNode> term = termValue(type, value);
                if (term.isEmpty()) {
                    return new Filters(Dsl.exists(field.name()), Dsl.matchAll());
                }
                exact.add(term.get());
            }
        }
        if (!exact.isEmpty()) {
            alternatives.add(
                    exact.size() == 1 ? Dsl.term(field.name(), exact.get(0), false) : Dsl.terms(field.name(), exact));
        }
        return Filters.exact(Dsl.or(alternatives));
    }

    private Filters match(Expr.Match match) {
        if (!(match.value() instanceof Expr.Field field)) {
            return Filters.coarse();
        }
        String name = field.name();
        if (types.of(name) != FieldType.KEYWORD) {
            return new Filters(Dsl.exists(name), Dsl.matchAll());
        }
        boolean caseInsensitive = match.operator() == MatchOperator.COLON || match.caseInsensitive();
        List<ObjectNode> alternatives = new ArrayList<>();
        for (Expr pattern : match.patterns()) {
            Lit literal = literal(pattern);
            if (literal == null || !(literal.value() instanceof String text)) {
                return new Filters(Dsl.exists(name), Dsl.matchAll());
            }
            if (match.operator() == MatchOperator.REGEX) {
                // The evaluator reads Lucene's dialect as Lucene does, case folding included
                // (ElasticsearchConformanceIT.RegularExpressions holds it to the cluster's answers).
                alternatives.add(Dsl.regexp(name, text, caseInsensitive));
            } else if (text.indexOf('*') < 0 && text.indexOf('?') < 0) {
                alternatives.add(Dsl.term(name, Dsl.text(text), caseInsensitive));
            } else {
                alternatives.add(Dsl.wildcard(name, escapeWildcard(text, true), caseInsensitive));
            }
        }
        return Filters.exact(Dsl.or(alternatives));
    }

    // ---- functions ----------------------------------------------------------------------------

    /** Where a boolean function may be true; its "may be false" side is always match_all. */
    private ObjectNode function(Expr.Function function) {
        List<Expr> args = function.arguments();
        String name = function.name().toLowerCase(Locale.ROOT);
        if (args.isEmpty() || !(args.get(0) instanceof Expr.Field field)) {
            return Dsl.matchAll();
        }
        FieldType type = types.of(field.name());
        List<String> texts = new ArrayList<>();
        for (Expr arg : args.subList(1, args.size())) {
            Lit literal = literal(arg);
            if (literal == null || !(literal.value() instanceof String s)) {
                return Dsl.exists(field.name());
            }
            texts.add(s);
        }
        boolean ci = function.caseInsensitive();
        String f = field.name();
        switch (name) {
            case "startswith", "endswith", "stringcontains" -> {
                if (type != FieldType.KEYWORD || texts.size() != 1) {
                    return Dsl.exists(f);
                }
                String text = texts.get(0);
                return switch (name) {
                    case "startswith" -> Dsl.prefix(f, text, ci);
                    case "endswith" -> Dsl.wildcard(f, "*" + escapeWildcard(text, false), ci);
                    default -> Dsl.wildcard(f, "*" + escapeWildcard(text, false) + "*", ci);
                };
            }
            case "cidrmatch" -> {
                if (type != FieldType.IP || texts.isEmpty()) {
                    return Dsl.exists(f);
                }
                List<ObjectNode> ranges = new ArrayList<>();
                for (String cidr : texts) {
                    if (!Cidr.isPlainBlock(cidr)) {
                        return Dsl.exists(f);
                    }
                    ranges.add(Dsl.term(f, Dsl.text(cidr), false));
                }
                return Dsl.or(ranges);
            }
            default -> {
                return Dsl.matchAll();
            }
        }
    }

    // ---- values -------------------------------------------------------------------------------

    /** A constant's value (possibly null); the wrapper itself is null when the expression is not a constant. */
    private record Lit(Object value) {}

    /** A constant, with unary minus folded; {@code null} when the expression is not one. */
    private static Lit literal(Expr expr) {
        if (expr instanceof Expr.Literal literal) {
            return new Lit(literal.value());
        }
        if (expr instanceof Expr.Negate negate && negate.operand() instanceof Expr.Literal literal) {
            if (literal.value() instanceof Long l) {
                return new Lit(-l);
            }
            if (literal.value() instanceof Double d) {
                return new Lit(-d);
            }
        }
        return null;
    }

    /**
     * The value a term query on a field of this type needs to mean what the evaluator's equality
     * means; empty when that cannot be said safely (the evaluator then decides alone).
     */
    private static Optional<JsonNode> termValue(FieldType type, Object value) {
        switch (type) {
            case KEYWORD -> {
                if (value instanceof String s) {
                    return Optional.of(Dsl.text(s));
                }
                if (value instanceof Long l) {
                    return Optional.of(Dsl.text(Long.toString(l)));
                }
                return Optional.empty();
            }
            case LONG -> {
                BigDecimal number = numeric(value);
                if (number == null || number.stripTrailingZeros().scale() > 0) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Dsl.number(number.longValueExact()));
                } catch (ArithmeticException outOfRange) {
                    return Optional.empty();
                }
            }
            case DOUBLE -> {
                BigDecimal number = numeric(value);
                return number == null ? Optional.empty() : Optional.of(Dsl.number(number.doubleValue()));
            }
            case IP -> {
                return value instanceof String s && IpAddresses.isPlainAddress(s)
                        ? Optional.of(Dsl.text(s))
                        : Optional.empty();
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    return Optional.of(Dsl.bool(b));
                }
                if ("true".equals(value) || "false".equals(value)) {
                    return Optional.of(Dsl.bool(Boolean.parseBoolean((String) value)));
                }
                return Optional.empty();
            }
            default -> {
                // text, date, object, unknown: equality is not what a term query says there.
                return Optional.empty();
            }
        }
    }

    private static BigDecimal numeric(Object value) {
        if (value instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d);
        }
        if (value instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    /**
     * An EQL pattern as a Lucene wildcard value. In EQL patterns {@code *} and {@code ?} are the
     * wildcards and there is no escape character, so only Lucene's escape character needs
     * escaping; with {@code keepWildcards} false (function arguments) every character is literal.
     */
    static String escapeWildcard(String pattern, boolean keepWildcards) {
        StringBuilder out = new StringBuilder(pattern.length() + 4);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' || (!keepWildcards && (c == '*' || c == '?'))) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
