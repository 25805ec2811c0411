package io.eqlwatch.eql.eval;

import io.eqlwatch.eql.ast.ComparisonOperator;
import io.eqlwatch.eql.ast.EqlFunction;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.MatchOperator;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.event.SlottedSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns an EQL expression into a tree of closures, once per query, reproducing how Elasticsearch
 * executes it.
 *
 * <p>Elasticsearch translates a comparison of a field with a constant into a query
 * ({@code term}, {@code terms}, {@code range}, {@code wildcard}, {@code regexp}, {@code prefix},
 * and for {@code cidrMatch} a {@code term} on an ip field), so such a leaf matches when
 * <em>any</em> value of a multi-valued field does, a missing field matches nothing, and
 * {@code !=}, {@code not in} and {@code not} are {@code must_not} clauses: true on a missing
 * field. Everything else (functions of fields, arithmetic) runs as a script, where a field stands
 * for its first doc value (the smallest, since doc values are sorted), null propagates, and a
 * null result does not match.
 */
public final class Compiler {

    /** Marks an argument that depends on the event. */
    static final Object NOT_CONSTANT = new Object();

    private static final Object UNMATCHABLE = new Object();

    private final FieldTypes types;
    /**
     * One reader per field for all the conditions compiled here, so that its memo of the last parsed value serves
     * every leaf over the field. Concurrent: an evaluator may compile several queries at once.
     */
    private final Map<String, FieldReader> readers = new ConcurrentHashMap<>();

    public Compiler(FieldTypes types) {
        this.types = types;
    }

    private FieldReader reader(String field) {
        return readers.computeIfAbsent(field, f -> FieldReader.of(f, types));
    }

    // ------------------------------------------------------------------ conditions

    /**
     * Compiles a where clause. First, as Elasticsearch's analyzer does, an optional field that none of the
     * indices maps becomes the constant null ({@code ?x != 5} is then null, not true).
     */
    public Condition compile(Expr where) {
        return condition(types.complete() ? unmappedOptionalsAsNull(where) : where);
    }

    private Expr unmappedOptionalsAsNull(Expr expr) {
        if (expr instanceof Expr.Field field) {
            return field.optional() && types.isUnknown(field.name()) ? new Expr.Literal(null) : field;
        }
        if (expr instanceof Expr.And || expr instanceof Expr.Or) {
            // flattened: an IOC list of thousands of terms is one long chain
            boolean and = expr instanceof Expr.And;
            List<Expr> parts = operands(expr, and);
            Expr out = null;
            for (Expr part : parts) {
                Expr mapped = unmappedOptionalsAsNull(part);
                out = out == null ? mapped : and ? new Expr.And(out, mapped) : new Expr.Or(out, mapped);
            }
            return out;
        }
        if (expr instanceof Expr.Not not) {
            return new Expr.Not(unmappedOptionalsAsNull(not.operand()));
        }
        if (expr instanceof Expr.Negate negate) {
            return new Expr.Negate(unmappedOptionalsAsNull(negate.operand()));
        }
        if (expr instanceof Expr.Comparison c) {
            return new Expr.Comparison(
                    c.operator(), unmappedOptionalsAsNull(c.left()), unmappedOptionalsAsNull(c.right()));
        }
        if (expr instanceof Expr.Arithmetic a) {
            return new Expr.Arithmetic(
                    a.operator(), unmappedOptionalsAsNull(a.left()), unmappedOptionalsAsNull(a.right()));
        }
        if (expr instanceof Expr.In in) {
            return new Expr.In(
                    unmappedOptionalsAsNull(in.value()),
                    in.candidates().stream().map(this::unmappedOptionalsAsNull).toList(),
                    in.negated(),
                    in.caseInsensitive());
        }
        if (expr instanceof Expr.Match m) {
            return new Expr.Match(m.operator(), unmappedOptionalsAsNull(m.value()), m.patterns(), m.caseInsensitive());
        }
        if (expr instanceof Expr.Function f) {
            return new Expr.Function(
                    f.name(),
                    f.caseInsensitive(),
                    f.arguments().stream().map(this::unmappedOptionalsAsNull).toList());
        }
        return expr;
    }

    public Condition condition(Expr expr) {
        if (expr instanceof Expr.And) {
            // long chains (IOC lists of thousands of terms) are flattened, not nested, so that neither
            // compiling nor testing recurses once per term
            // a stable partition by cost, in one pass: each leaf's cost is worked out once
            List<List<Expr>> byCost = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            operands(expr, true).forEach(part -> byCost.get(testingCost(part)).add(part));
            Condition[] all =
                    byCost.stream().flatMap(List::stream).map(this::condition).toArray(Condition[]::new);
            return e -> {
                for (Condition c : all) {
                    if (!c.test(e)) {
                        return false;
                    }
                }
                return true;
            };
        }
        if (expr instanceof Expr.Or) {
            Condition[] any =
                    operands(expr, false).stream().map(this::condition).toArray(Condition[]::new);
            return e -> {
                for (Condition c : any) {
                    if (c.test(e)) {
                        return true;
                    }
                }
                return false;
            };
        }
        if (expr instanceof Expr.Not not) {
            Condition inner = condition(not.operand());
            return e -> !inner.test(e);
        }
        if (!referencesField(expr)) {
            boolean value = Boolean.TRUE.equals(scalar(expr).eval(null));
            return e -> value;
        }
        if (expr instanceof Expr.Field field) {
            return anyValue(field, v -> Boolean.TRUE.equals(v) || "true".equals(v));
        }
        if (expr instanceof Expr.Comparison comparison) {
            return comparison(comparison);
        }
        if (expr instanceof Expr.In in) {
            return in(in);
        }
        if (expr instanceof Expr.Match match) {
            return match(match);
        }
        if (expr instanceof Expr.Function function) {
            Condition query = functionAsQuery(function);
            if (query != null) {
                return query;
            }
        }
        Scalar script = scalar(expr);
        return e -> Boolean.TRUE.equals(script.eval(e));
    }

    /**
     * How dear a leaf of an {@code and} is to test, so that the cheap ones run first: a field's equality with a whole
     * number compares stored integers (0), with text compares strings (1), and anything else (patterns, IP parsing,
     * scripts, nested logic) costs more (2). Each leaf is a pure test of the event and the conjunction of their
     * answers does not depend on their order, so this changes no result, only how soon a failing event is refused:
     * {@code process.pid == 4}, written third, refuses most network events before two string comparisons.
     */
    private int testingCost(Expr leaf) {
        if (!(leaf instanceof Expr.Comparison c) || c.operator() != ComparisonOperator.EQ) {
            return 2;
        }
        Expr.Field field = c.left() instanceof Expr.Field f ? f : c.right() instanceof Expr.Field f ? f : null;
        Expr.Literal literal = c.right() instanceof Expr.Literal l ? l : c.left() instanceof Expr.Literal l ? l : null;
        if (field == null || literal == null) {
            return 2;
        }
        FieldType type = types.of(field.name());
        Object value = literal.value();
        if (type == FieldType.LONG && (value instanceof Long || value instanceof Integer)) {
            return 0;
        }
        if (comparesAsText(type, value)) {
            return 1;
        }
        return 2;
    }

    /** Whether equality of a field of this type with this constant is a string comparison: text spelling no address. */
    private static boolean comparesAsText(FieldType type, Object constant) {
        return (type == FieldType.KEYWORD || type == FieldType.TEXT)
                && constant instanceof String text
                && Ip.parse(text) == null;
    }

    /** The operands of a chain of {@code and} (or of {@code or}), left to right, found without recursion. */
    public static List<Expr> operands(Expr chain, boolean and) {
        List<Expr> out = new ArrayList<>();
        java.util.ArrayDeque<Expr> pending = new java.util.ArrayDeque<>();
        pending.push(chain);
        while (!pending.isEmpty()) {
            Expr e = pending.pop();
            if (and && e instanceof Expr.And a) {
                pending.push(a.right());
                pending.push(a.left());
            } else if (!and && e instanceof Expr.Or o) {
                pending.push(o.right());
                pending.push(o.left());
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /** A leaf over one field: true when any of its values (as its mapped type holds them) passes. */
    private Condition anyValue(Expr.Field field, Predicate<Object> test) {
        FieldReader reader = reader(field.name());
        return e -> {
            SlottedSource slotted = e.slots();
            int slot = slotted == null ? -1 : reader.slotIn(slotted);
            if (slot >= 0) {
                // straight from the event's cells: no list per field and event
                for (int i = 0, n = slotted.count(slot); i < n; i++) {
                    Object v = reader.normalize(reader.storedAt(slotted, slot, i));
                    if (v != null && test.test(v)) {
                        return true;
                    }
                }
                return false;
            }
            // by index: the lists come in several classes, and an iterator the compiler cannot inline is allocated
            List<Object> values = reader.raw(e);
            for (int i = 0, n = values.size(); i < n; i++) {
                Object v = reader.normalize(values.get(i));
                if (v != null && test.test(v)) {
                    return true;
                }
            }
            return false;
        };
    }

    private Condition hasValue(Expr.Field field) {
        return anyValue(field, v -> true);
    }

    private Condition comparison(Expr.Comparison comparison) {
        Expr left = comparison.left();
        Expr right = comparison.right();
        ComparisonOperator op = comparison.operator();
        if (op == ComparisonOperator.EQ || op == ComparisonOperator.NEQ) {
            // Elasticsearch's optimizer (ReplaceNullChecks) turns "x == null" into "x is null" and "x != null"
            // into "x is not null" for any expression x, with null on either side
            Expr tested = isNullConstant(right) ? left : isNullConstant(left) ? right : null;
            if (tested != null) {
                Condition isNull = isNull(tested);
                return op == ComparisonOperator.EQ ? isNull : e -> !isNull.test(e);
            }
            if (left instanceof Expr.Field a && a.optional() && right instanceof Expr.Field b && b.optional()) {
                return optionalFieldsEqual(a, b, op == ComparisonOperator.EQ);
            }
        }
        if (right instanceof Expr.Field && !referencesField(left)) {
            // Elasticsearch's optimizer puts the constant on the right: 5 < x is x > 5
            Expr swap = left;
            left = right;
            right = swap;
            op = op.mirrored();
        }
        if (left instanceof Expr.Field field && !referencesField(right)) {
            return fieldComparison(field, op, scalar(right).eval(null));
        }
        Scalar l = scalar(left);
        Scalar r = scalar(right);
        ComparisonOperator operator = op;
        return e -> Boolean.TRUE.equals(scriptCompare(operator, l.eval(e), r.eval(e)));
    }

    private Condition fieldComparison(Expr.Field field, ComparisonOperator op, Object constant) {
        if (constant == null) {
            // ordering comparisons with null are null (equality was made a null check above)
            return e -> false;
        }
        FieldType type = types.of(field.name());
        Object c = coerceConstant(field.name(), type, constant);
        if (c == UNMATCHABLE) {
            return op == ComparisonOperator.NEQ ? e -> true : e -> false;
        }
        Condition equal = type == FieldType.LONG && c instanceof Long whole
                ? integerEqual(field, whole)
                : type == FieldType.IP && c instanceof Ip address
                        ? ipEqual(field, address)
                        : comparesAsText(type, c) ? keywordEqual(field, (String) c) : anyValue(field, equalTo(c));
        return switch (op) {
            case EQ -> equal;
                // must_not term: true when the field is missing, false when any value is equal
            case NEQ -> e -> !equal.test(e);
            case LT -> anyValue(field, v -> lessThan(TypedValues.compare(v, c), 0));
            case LTE -> anyValue(field, v -> lessThan(TypedValues.compare(v, c), 1));
            case GT -> anyValue(field, v -> greaterThan(TypedValues.compare(v, c), 0));
            case GTE -> anyValue(field, v -> greaterThan(TypedValues.compare(v, c), -1));
        };
    }

    /**
     * Equality of a {@code long} field with a whole number. A stored integer ({@code process.pid}) is compared as
     * it is, where {@link #anyValue} would box it into the {@code Long} its normal form is for every event; any
     * other stored value (text, a fraction) is normalised first, as there. Its loops are {@link #anyValue}'s, not
     * a shared one taking a predicate: that adds a call no site can inline per value (SMB stream benchmark,
     * alternated: 2.70-2.79M events/s shared, 2.99-3.35M as here).
     */
    private Condition integerEqual(Expr.Field field, long constant) {
        FieldReader reader = reader(field.name());
        Long boxed = constant;
        return e -> {
            SlottedSource slotted = e.slots();
            int slot = slotted == null ? -1 : reader.slotIn(slotted);
            if (slot >= 0) {
                for (int i = 0, n = slotted.count(slot); i < n; i++) {
                    if (integerEquals(reader, reader.storedAt(slotted, slot, i), constant, boxed)) {
                        return true;
                    }
                }
                return false;
            }
            List<Object> values = reader.raw(e);
            for (int i = 0, n = values.size(); i < n; i++) {
                if (integerEquals(reader, values.get(i), constant, boxed)) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * Equality of a keyword field with text that spells no IP address, {@link #equalTo}'s rule: a stored string is
     * compared as it is (a keyword's normal form of a string is the string), anything else is normalised first.
     * Its own loops, as {@link #integerEqual}'s, for the same reason: most leaves of most rules are this test
     * ({@code event.type == "start"}, the category), and a predicate per value is a call no site inlines.
     */
    private Condition keywordEqual(Expr.Field field, String text) {
        FieldReader reader = reader(field.name());
        return e -> {
            SlottedSource slotted = e.slots();
            int slot = slotted == null ? -1 : reader.slotIn(slotted);
            if (slot >= 0) {
                for (int i = 0, n = slotted.count(slot); i < n; i++) {
                    if (keywordEquals(reader, reader.storedAt(slotted, slot, i), text)) {
                        return true;
                    }
                }
                return false;
            }
            List<Object> values = reader.raw(e);
            for (int i = 0, n = values.size(); i < n; i++) {
                if (keywordEquals(reader, values.get(i), text)) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * Equality of an {@code ip} field with an address. A stored dotted quad ({@code 10.1.2.3}, how most sources
     * write IPv4) is compared as its 32 bits, read without allocating; any other stored value is parsed into an
     * {@link Ip} first, as {@link #anyValue} does for every value. The loops are {@link #integerEqual}'s, for the
     * same reason. {@code source.ip != "127.0.0.1"} is the last leaf the SMB rule's candidates reach.
     */
    private Condition ipEqual(Expr.Field field, Ip address) {
        FieldReader reader = reader(field.name());
        long bits = address.ipv4Bits();
        return e -> {
            SlottedSource slotted = e.slots();
            int slot = slotted == null ? -1 : reader.slotIn(slotted);
            if (slot >= 0) {
                for (int i = 0, n = slotted.count(slot); i < n; i++) {
                    if (ipEquals(reader, reader.storedAt(slotted, slot, i), address, bits)) {
                        return true;
                    }
                }
                return false;
            }
            List<Object> values = reader.raw(e);
            for (int i = 0, n = values.size(); i < n; i++) {
                if (ipEquals(reader, values.get(i), address, bits)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean ipEquals(FieldReader reader, Object stored, Ip address, long bits) {
        if (stored instanceof String text) {
            long storedBits = IpAddresses.ipv4Bits(text);
            if (storedBits >= 0) {
                // a dotted quad is an IPv4-mapped address: it equals no address outside that range
                return storedBits == bits;
            }
        }
        Object normal = reader.normalize(stored);
        return address.equals(normal);
    }

    private static boolean keywordEquals(FieldReader reader, Object stored, String text) {
        Object normal = stored instanceof String ? stored : reader.normalize(stored);
        return normal instanceof String s ? text.equals(s) : normal != null && TypedValues.equal(normal, text);
    }

    private static boolean integerEquals(FieldReader reader, Object stored, long constant, Long boxed) {
        if (stored instanceof Integer || stored instanceof Long || stored instanceof Short || stored instanceof Byte) {
            return ((Number) stored).longValue() == constant;
        }
        Object normal = reader.normalize(stored);
        return normal != null && TypedValues.equal(normal, boxed);
    }

    /**
     * Equality with a constant under {@link TypedValues#equal}. Text that spells no IP address equals another
     * text only when the two are the same string (the IP rule needs both to parse), so that test is decided by
     * {@code equals} alone, without scanning both for a colon at every value.
     */
    static Predicate<Object> equalTo(Object c) {
        if (c instanceof String text && Ip.parse(text) == null) {
            return v -> v instanceof String s ? text.equals(s) : TypedValues.equal(v, text);
        }
        return v -> TypedValues.equal(v, c);
    }

    private boolean isNullConstant(Expr expr) {
        return !referencesField(expr) && scalar(expr).eval(null) == null;
    }

    /** A field is null where it has no value (a must_not exists query); anything else where it computes to null. */
    private Condition isNull(Expr expr) {
        if (expr instanceof Expr.Field field) {
            Condition exists = hasValue(field);
            return e -> !exists.test(e);
        }
        if (!referencesField(expr)) {
            boolean isNull = scalar(expr).eval(null) == null;
            return e -> isNull;
        }
        Scalar value = scalar(expr);
        return e -> value.eval(e) == null;
    }

    /**
     * {@code ?x == ?y}: Elasticsearch reads an optional field that no index maps as the constant null, so the
     * comparison is a null check of the other side, and {@code null == null} holds. Without a mapping a field
     * missing from the event stands for that null.
     */
    private Condition optionalFieldsEqual(Expr.Field a, Expr.Field b, boolean equal) {
        Scalar x = scalar(a);
        Scalar y = scalar(b);
        return e -> {
            Object vx = x.eval(e);
            Object vy = y.eval(e);
            boolean same = vx == null || vy == null ? vx == vy : TypedValues.equal(vx, vy);
            return same == equal;
        };
    }

    private static boolean lessThan(Integer c, int bound) {
        return c != null && c < bound;
    }

    private static boolean greaterThan(Integer c, int bound) {
        return c != null && c > bound;
    }

    /** A query constant as the field's type would read it; {@link #UNMATCHABLE} when it cannot. */
    private Object coerceConstant(String field, FieldType type, Object constant) {
        Object plain = TypedValues.plain(constant);
        Object coerced =
                switch (type) {
                    case LONG, DOUBLE -> plain instanceof Number
                            ? plain
                            : plain instanceof String s ? TypedValues.parseNumber(s) : null;
                        // a date query parses its bound in the field's format; ISO text is read too, as Elasticsearch's
                        // EQL hands date constants over in ISO form
                    case DATE, DATE_NANOS -> {
                        Object inFormat = TypedValues.normalize(
                                type, plain, types.mapping(field).dateFormat());
                        yield inFormat != null ? inFormat : TypedValues.normalize(type, plain);
                    }
                    case UNKNOWN -> plain;
                    default -> TypedValues.normalize(type, plain);
                };
        return coerced == null ? UNMATCHABLE : coerced;
    }

    private Condition in(Expr.In in) {
        boolean constantCandidates = in.candidates().stream().noneMatch(Compiler::referencesField);
        if (in.value() instanceof Expr.Field field && constantCandidates) {
            FieldType type = types.of(field.name());
            List<Object> constants = new ArrayList<>();
            for (Expr candidate : in.candidates()) {
                Object value = scalar(candidate).eval(null);
                if (value != null) {
                    Object c = coerceConstant(field.name(), type, value);
                    if (c != UNMATCHABLE) {
                        constants.add(c);
                    }
                }
            }
            Condition member;
            if (in.caseInsensitive()) {
                Set<String> folded = new HashSet<>();
                constants.forEach(c -> folded.add(WildcardPattern.FOLDING.fold(TypedValues.asString(c))));
                member = anyValue(field, v -> folded.contains(WildcardPattern.FOLDING.fold(TypedValues.asString(v))));
            } else if (constants.stream().allMatch(c -> c instanceof String) && isStringType(type)) {
                Set<Object> set = new HashSet<>(constants);
                member = anyValue(field, set::contains);
            } else {
                member = anyValue(field, v -> constants.stream().anyMatch(c -> TypedValues.equal(v, c)));
            }
            return in.negated() ? e -> !member.test(e) : member;
        }
        Scalar script = scalar(in);
        return e -> Boolean.TRUE.equals(script.eval(e));
    }

    private static boolean isStringType(FieldType type) {
        return type == FieldType.KEYWORD || type == FieldType.TEXT;
    }

    private Condition match(Expr.Match match) {
        Predicate<String> matcher = patternMatcher(match);
        if (match.value() instanceof Expr.Field field) {
            return anyValue(field, v -> matcher.test(TypedValues.asString(v)));
        }
        Scalar value = scalar(match.value());
        return e -> {
            Object v = value.eval(e);
            return v != null && matcher.test(TypedValues.asString(v));
        };
    }

    /** One predicate for all of the operator's patterns, each compiled once. */
    private Predicate<String> patternMatcher(Expr.Match match) {
        List<Predicate<String>> each = new ArrayList<>();
        Set<String> exact = new HashSet<>();
        boolean ci = match.caseInsensitive() || match.operator() == MatchOperator.COLON;
        for (Expr p : match.patterns()) {
            String pattern = (String) ((Expr.Literal) p).value();
            if (match.operator() == MatchOperator.REGEX) {
                Pattern regex = LuceneRegex.compile(pattern, ci ? types.regexpFolding() : null);
                each.add(s -> regex.matcher(s).matches());
            } else {
                WildcardPattern wildcard = WildcardPattern.compile(pattern, ci);
                if (!wildcard.hasWildcards() && !ci) {
                    exact.add(pattern);
                } else {
                    each.add(wildcard::matches);
                }
            }
        }
        if (!exact.isEmpty()) {
            each.add(exact::contains);
        }
        if (each.size() == 1) {
            return each.get(0);
        }
        List<Predicate<String>> all = List.copyOf(each);
        return s -> {
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).test(s)) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * startsWith, endsWith, stringContains and cidrMatch of a field against constants become
     * prefix, wildcard and term queries in Elasticsearch: any value of the field may match.
     */
    private Condition functionAsQuery(Expr.Function call) {
        EqlFunction function = EqlFunction.byName(call.name());
        List<Expr> args = call.arguments();
        if (function == null
                || !(args.get(0) instanceof Expr.Field field)
                || args.subList(1, args.size()).stream().anyMatch(Compiler::referencesField)) {
            return null;
        }
        boolean ci = call.caseInsensitive();
        List<Object> constants = new ArrayList<>();
        for (Expr arg : args.subList(1, args.size())) {
            constants.add(scalar(arg).eval(null));
        }
        if (constants.contains(null)) {
            return e -> false;
        }
        switch (function) {
            case STARTS_WITH, ENDS_WITH, STRING_CONTAINS -> {
                // On a field these are Elasticsearch's prefix and wildcard queries, which fold as ':' does.
                String part = TypedValues.asString(constants.get(0));
                return switch (function) {
                    case STARTS_WITH -> anyValue(
                            field, v -> WildcardPattern.regionMatches(TypedValues.asString(v), 0, part, ci));
                    case ENDS_WITH -> anyValue(field, v -> {
                        String s = TypedValues.asString(v);
                        return WildcardPattern.regionMatches(s, s.length() - part.length(), part, ci);
                    });
                    default -> anyValue(field, v -> WildcardPattern.contains(TypedValues.asString(v), part, ci));
                };
            }
            case CIDR_MATCH -> {
                List<Cidr> blocks = constants.stream()
                        .map(c -> Cidr.parse(TypedValues.asString(c)))
                        .toList();
                return anyValue(field, v -> Functions.inAny(v, blocks));
            }
            default -> {
                return null;
            }
        }
    }

    // ------------------------------------------------------------------ scalars

    public Scalar scalar(Expr expr) {
        if (expr instanceof Expr.Literal literal) {
            Object constant = TypedValues.plain(literal.value());
            return e -> constant;
        }
        if (expr instanceof Expr.Field field) {
            return firstDocValue(field);
        }
        if (expr instanceof Expr.Arithmetic arithmetic) {
            Scalar l = scalar(arithmetic.left());
            Scalar r = scalar(arithmetic.right());
            return foldIfConstant(expr, e -> Arithmetic.apply(arithmetic.operator(), l.eval(e), r.eval(e)));
        }
        if (expr instanceof Expr.Negate negate) {
            Scalar inner = scalar(negate.operand());
            return foldIfConstant(expr, e -> Arithmetic.negate(inner.eval(e)));
        }
        if (expr instanceof Expr.Function call) {
            EqlFunction function = EqlFunction.byName(call.name());
            if (function == null) {
                throw new IllegalArgumentException("unknown function [" + call.name() + "]");
            }
            List<Scalar> args = new ArrayList<>();
            Object[] constants = new Object[call.arguments().size()];
            for (int i = 0; i < constants.length; i++) {
                Expr arg = call.arguments().get(i);
                Scalar compiled = scalar(arg);
                args.add(compiled);
                constants[i] = referencesField(arg) ? NOT_CONSTANT : compiled.eval(null);
            }
            return foldIfConstant(expr, Functions.compile(function, call.caseInsensitive(), args, constants));
        }
        if (expr instanceof Expr.Not not) {
            Scalar inner = scalar(not.operand());
            return e -> inner.eval(e) instanceof Boolean b ? !b : null;
        }
        if (expr instanceof Expr.And and) {
            Scalar l = scalar(and.left());
            Scalar r = scalar(and.right());
            return e -> kleeneAnd(l.eval(e), r.eval(e));
        }
        if (expr instanceof Expr.Or or) {
            Scalar l = scalar(or.left());
            Scalar r = scalar(or.right());
            return e -> kleeneOr(l.eval(e), r.eval(e));
        }
        if (expr instanceof Expr.Comparison comparison) {
            ComparisonOperator op = comparison.operator();
            if (op == ComparisonOperator.EQ || op == ComparisonOperator.NEQ) {
                // ReplaceNullChecks applies inside expressions too: "(x == null)" is a boolean, never null
                Expr tested = isNullConstant(comparison.right())
                        ? comparison.left()
                        : isNullConstant(comparison.left()) ? comparison.right() : null;
                if (tested != null) {
                    Scalar value = scalar(tested);
                    boolean wantNull = op == ComparisonOperator.EQ;
                    return foldIfConstant(expr, e -> (value.eval(e) == null) == wantNull);
                }
            }
            Scalar l = scalar(comparison.left());
            Scalar r = scalar(comparison.right());
            return e -> scriptCompare(op, l.eval(e), r.eval(e));
        }
        if (expr instanceof Expr.In in) {
            Scalar value = scalar(in.value());
            List<Scalar> candidates = in.candidates().stream().map(this::scalar).toList();
            return e -> {
                Object v = value.eval(e);
                if (v == null) {
                    return null;
                }
                boolean found = false;
                for (Scalar candidate : candidates) {
                    Object c = candidate.eval(e);
                    if (c != null
                            && (in.caseInsensitive()
                                    ? TypedValues.asString(v).equalsIgnoreCase(TypedValues.asString(c))
                                    : TypedValues.equal(v, c))) {
                        found = true;
                        break;
                    }
                }
                return in.negated() != found;
            };
        }
        if (expr instanceof Expr.Match match) {
            Predicate<String> matcher = patternMatcher(match);
            Scalar value = scalar(match.value());
            return e -> {
                Object v = value.eval(e);
                return v == null ? null : (Object) matcher.test(TypedValues.asString(v));
            };
        }
        throw new IllegalArgumentException("cannot evaluate " + expr);
    }

    /** Expressions without fields are computed once, as Elasticsearch folds them before running. */
    private static Scalar foldIfConstant(Expr expr, Scalar scalar) {
        if (referencesField(expr)) {
            return scalar;
        }
        Object value = scalar.eval(null);
        return e -> value;
    }

    /** A script reads a multi-valued field's first doc value, which is its smallest value. */
    private Scalar firstDocValue(Expr.Field field) {
        FieldReader reader = reader(field.name());
        FieldType type = reader.type();
        return e -> {
            Object first = null;
            for (Object raw : reader.raw(e)) {
                Object v = reader.normalize(raw);
                if (v == null) {
                    continue;
                }
                if (first == null) {
                    first = v;
                } else if (type != FieldType.UNKNOWN) {
                    Integer c = TypedValues.compare(v, first);
                    if (c != null && c < 0) {
                        first = v;
                    }
                }
            }
            // scripts see an ip field's value as its canonical text
            return first instanceof Ip ip ? ip.toString() : first;
        };
    }

    static Object scriptCompare(ComparisonOperator op, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (op == ComparisonOperator.EQ) {
            return TypedValues.equal(a, b);
        }
        if (op == ComparisonOperator.NEQ) {
            return !TypedValues.equal(a, b);
        }
        Integer c = TypedValues.compare(a, b);
        if (c == null) {
            return null;
        }
        return switch (op) {
            case LT -> c < 0;
            case LTE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        };
    }

    private static Object kleeneAnd(Object a, Object b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
        }
        return a instanceof Boolean && b instanceof Boolean ? Boolean.TRUE : null;
    }

    private static Object kleeneOr(Object a, Object b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return true;
        }
        return a instanceof Boolean && b instanceof Boolean ? Boolean.FALSE : null;
    }

    /** Whether the expression reads any field of the event. */
    public static boolean referencesField(Expr expr) {
        if (expr instanceof Expr.Field) {
            return true;
        }
        if (expr instanceof Expr.Literal) {
            return false;
        }
        if (expr instanceof Expr.Not n) {
            return referencesField(n.operand());
        }
        if (expr instanceof Expr.Negate n) {
            return referencesField(n.operand());
        }
        if (expr instanceof Expr.And) {
            return operands(expr, true).stream().anyMatch(Compiler::referencesField);
        }
        if (expr instanceof Expr.Or) {
            return operands(expr, false).stream().anyMatch(Compiler::referencesField);
        }
        if (expr instanceof Expr.Comparison c) {
            return referencesField(c.left()) || referencesField(c.right());
        }
        if (expr instanceof Expr.Arithmetic a) {
            return referencesField(a.left()) || referencesField(a.right());
        }
        if (expr instanceof Expr.In in) {
            return referencesField(in.value()) || in.candidates().stream().anyMatch(Compiler::referencesField);
        }
        if (expr instanceof Expr.Match m) {
            return referencesField(m.value());
        }
        if (expr instanceof Expr.Function f) {
            return f.arguments().stream().anyMatch(Compiler::referencesField);
        }
        return false;
    }
}
