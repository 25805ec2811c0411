package io.eqlwatch.eql.dsl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.CompiledEventQuery;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.ast.ComparisonOperator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.MatchOperator;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 3 item 3, without a cluster: for random events and random conditions, every event the
 * real evaluator accepts is also returned by the translated query, as evaluated by
 * {@link DslInterpreter}. The same property against a real Elasticsearch belongs in an *IT once the
 * shared harness is in main.
 */
class PushDownSupersetPropertyTest {

    static final FieldTypes TYPES = new FieldTypes(Map.of(
            "event.category", FieldType.KEYWORD,
            "kw", FieldType.KEYWORD,
            "num", FieldType.LONG,
            "ip", FieldType.IP,
            "flag", FieldType.BOOLEAN));

    private static final List<String> FIELDS = List.of("kw", "num", "ip", "flag", "free");

    private static final List<Object> KEYWORDS =
            List.of("abc", "ABC", "aBc", "a*c", "a\\c", "x.exe", "X.EXE", "4", "", "ab");
    private static final List<Object> NUMBERS = List.of(-1L, 0L, 4L, 7L, 10L, "4");
    private static final List<Object> IPS = List.of("10.0.0.1", "::1", "0:0:0:0:0:0:0:1", "127.0.0.1", "fd00::5");
    private static final List<Object> BOOLEANS = List.of(true, false);
    private static final List<Object> FREE = List.of("abc", 4L, true);

    private final Evaluator evaluator = new Evaluator(TYPES);
    private final PushDownTranslator translator = new PushDownTranslator(TYPES);
    private final DslInterpreter interpreter = new DslInterpreter(TYPES);

    @Property(tries = 1500)
    void translatedQueryReturnsEveryEventTheEvaluatorAccepts(
            @ForAll("queries") EventQuery query, @ForAll("eventLists") List<Event> events) {
        ObjectNode dsl = translator.translate(query);
        CompiledEventQuery compiled;
        try {
            compiled = evaluator.compile(query);
        } catch (RuntimeException rejectedLikeElasticsearchWould) {
            compiled = null;
        }
        Statistics.label("query accepted by the evaluator").collect(compiled != null);
        Assume.that(compiled != null);
        for (Event event : events) {
            boolean accepted = compiled.matches(event);
            Statistics.label("event accepted").collect(accepted);
            if (accepted && !interpreter.matches(dsl, event)) {
                throw new AssertionError("evaluator accepts " + event.source() + "\nfor " + query
                        + "\nbut the push-down query does not return it: " + dsl);
            }
        }
    }

    @Provide
    Arbitrary<List<Event>> eventLists() {
        return event().list().ofMinSize(1).ofMaxSize(12);
    }

    static Arbitrary<Event> event() {
        Arbitrary<Object> category = Arbitraries.of("process", "file", "network")
                .map(c -> (Object) c)
                .injectDuplicates(0.1)
                .edgeCases(c -> c.add(List.of("process", "file")));
        return Combinators.combine(
                        category,
                        value("kw", KEYWORDS),
                        value("num", NUMBERS),
                        value("ip", IPS),
                        value("flag", BOOLEANS),
                        value("free", FREE))
                .as((cat, kw, num, ip, flag, free) -> {
                    Map<String, Object> source = new LinkedHashMap<>();
                    source.put("event.category", cat);
                    put(source, "kw", kw);
                    put(source, "num", num);
                    put(source, "ip", ip);
                    put(source, "flag", flag);
                    put(source, "free", free);
                    return new Event("id", "index", Instant.EPOCH, null, source);
                });
    }

    private static final Object ABSENT = new Object();

    private static void put(Map<String, Object> source, String field, Object value) {
        if (value != ABSENT) {
            source.put(field, value);
        }
    }

    /** A field's value: absent, one value, or an array of two. */
    private static Arbitrary<Object> value(String field, List<Object> pool) {
        Arbitrary<Object> one = Arbitraries.of(pool);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(ABSENT)),
                net.jqwik.api.Tuple.of(6, one),
                net.jqwik.api.Tuple.of(2, one.list().ofSize(2).map(l -> (Object) l)));
    }

    @Provide
    Arbitrary<EventQuery> queries() {
        return query();
    }

    static Arbitrary<EventQuery> query() {
        Arbitrary<String> category = Arbitraries.of("process", "file").injectNull(0.3);
        return Combinators.combine(category, condition(4)).as(EventQuery::new);
    }

    private static Arbitrary<Expr> condition(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<Expr> sub = Arbitraries.lazy(() -> condition(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaf()),
                net.jqwik.api.Tuple.of(2, Combinators.combine(sub, sub).as(Expr.And::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(sub, sub).as(Expr.Or::new)),
                net.jqwik.api.Tuple.of(2, sub.map(Expr.Not::new)));
    }

    private static Arbitrary<Expr> leaf() {
        Arbitrary<Expr.Field> field = Arbitraries.of(FIELDS).map(f -> new Expr.Field(f, false));
        Arbitrary<Expr> literal = literal();
        Arbitrary<Expr> comparison = Combinators.combine(
                        Arbitraries.of(ComparisonOperator.class), field, literal, Arbitraries.of(true, false))
                .as((op, f, l, swap) -> swap ? new Expr.Comparison(op, l, f) : new Expr.Comparison(op, f, l));
        Arbitrary<Expr> in = Combinators.combine(
                        field,
                        literal.list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as(Expr.In::new);
        Arbitrary<Expr> pattern = Arbitraries.of("a*", "*C", "a?c", "*.exe", "abc", "a\\c", "*", "4", "a.c", "[a-z]+")
                .map(p -> (Expr) new Expr.Literal(p));
        Arbitrary<Expr> match = Combinators.combine(
                        Arbitraries.of(MatchOperator.class),
                        field,
                        pattern.list().ofMinSize(1).ofMaxSize(2),
                        Arbitraries.of(true, false))
                .as((op, f, ps, ci) -> new Expr.Match(op, f, ps, op == MatchOperator.COLON || ci));
        Arbitrary<Expr> stringFunction = Combinators.combine(
                        Arbitraries.of("startsWith", "endsWith", "stringContains"),
                        Arbitraries.of(true, false),
                        field,
                        Arbitraries.of("a", "AB", "c", ".exe", "*", "4"))
                .as((name, ci, f, s) -> new Expr.Function(name, ci, List.of(f, new Expr.Literal(s))));
        Arbitrary<Expr> cidr = Combinators.combine(field, Arbitraries.of("10.0.0.0/8", "::1/128", "127.0.0.0/8"))
                .as((f, c) -> new Expr.Function("cidrMatch", false, List.of(f, new Expr.Literal(c))));
        Arbitrary<Expr> functionEqualsTrue = Arbitraries.oneOf(stringFunction, cidr)
                .map(fn -> new Expr.Comparison(ComparisonOperator.EQ, fn, new Expr.Literal(true)));
        Arbitrary<Expr> length = Combinators.combine(field, Arbitraries.longs().between(0, 4))
                .as((f, n) -> new Expr.Comparison(
                        ComparisonOperator.EQ, new Expr.Function("length", false, List.of(f)), new Expr.Literal(n)));
        Arbitrary<Expr> fieldVsField = Combinators.combine(Arbitraries.of(ComparisonOperator.class), field, field)
                .as(Expr.Comparison::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, comparison),
                net.jqwik.api.Tuple.of(3, in),
                net.jqwik.api.Tuple.of(3, match),
                net.jqwik.api.Tuple.of(2, stringFunction),
                net.jqwik.api.Tuple.of(1, cidr),
                net.jqwik.api.Tuple.of(1, functionEqualsTrue),
                net.jqwik.api.Tuple.of(1, length),
                net.jqwik.api.Tuple.of(1, fieldVsField),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(b -> (Expr) new Expr.Literal(b))));
    }

    private static Arbitrary<Expr> literal() {
        List<Object> pool = new ArrayList<>();
        pool.addAll(KEYWORDS);
        pool.addAll(NUMBERS);
        pool.addAll(IPS);
        pool.addAll(Arrays.asList(true, false, 4.0, 4.5, "10.0.0.0/8"));
        Arbitrary<Expr> values = Arbitraries.of(pool).map(v -> (Expr) new Expr.Literal(v));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, values),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Expr.Literal(null))),
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.of(1L, 4L).map(n -> (Expr) new Expr.Negate(new Expr.Literal(n)))));
    }
}
