package io.eqlwatch.eql;

import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.eval.Compiler;
import io.eqlwatch.eql.eval.Condition;
import io.eqlwatch.eql.eval.FieldReader;
import io.eqlwatch.eql.eval.Ip;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates EQL on events in memory with the results Elasticsearch's EQL gives, given the mapped
 * types of the fields. Queries are compiled on first use and cached by identity; callers that hold
 * on to a query may use {@link #compile(EventQuery)} directly. Thread-safe.
 */
public final class Evaluator implements EventEvaluator {

    /** Elasticsearch's default {@code event_category_field}. */
    public static final String DEFAULT_CATEGORY_FIELD = "event.category";

    private final FieldTypes types;
    private final String categoryField;
    private final Compiler compiler;
    private final Map<Identity, CompiledEventQuery> compiled = new ConcurrentHashMap<>();
    private final Map<String, JoinKeyReader> joinKeys = new ConcurrentHashMap<>();

    public Evaluator(FieldTypes types, String categoryField) {
        this.types = Objects.requireNonNull(types, "types");
        this.categoryField = Objects.requireNonNull(categoryField, "categoryField");
        this.compiler = new Compiler(types);
    }

    public Evaluator(FieldTypes types) {
        this(types, DEFAULT_CATEGORY_FIELD);
    }

    /** No mapping known and the default category field: values compare by their JSON types. */
    public Evaluator() {
        this(FieldTypes.NONE, DEFAULT_CATEGORY_FIELD);
    }

    public String categoryField() {
        return categoryField;
    }

    /** Compiles the query once; the result is independent of this evaluator's cache. */
    public CompiledEventQuery compile(EventQuery query) {
        Condition category;
        if (query.anyCategory()) {
            category = e -> true;
        } else {
            // "category where" is a term query on the category field: any element of an array matches
            category = compiler.condition(new Expr.Comparison(io.eqlwatch.eql.ast.ComparisonOperator.EQ,
                    new Expr.Field(categoryField, false), new Expr.Literal(query.category())));
        }
        return new CompiledEventQuery(query, category, compiler.compile(query.condition()));
    }

    /** Compiles a lone condition (for callers that evaluate a where clause outside a query). */
    public Condition compileCondition(Expr condition) {
        return compiler.compile(condition);
    }

    @Override
    public boolean matches(EventQuery query, Event event) {
        return compiled.computeIfAbsent(new Identity(query), id -> compile(query)).matches(event);
    }

    /**
     * One entry per distinct value of the key on the event, in the form Elasticsearch returns it
     * (keyword text, long, double, canonical ip text, boolean; dates as epoch milliseconds, as its composite
     * aggregation reports a date key). A missing field gives no entry (the event takes no part in a join),
     * except an optional {@code ?field}, which gives one {@code null} key.
     */
    @Override
    public List<Object> joinValues(Expr key, Event event) {
        if (!(key instanceof Expr.Field field)) {
            throw new IllegalArgumentException("a join key must be a field, not " + key);
        }
        List<Object> values = joinKeys.computeIfAbsent(field.name(), JoinKeyReader::new).read(event);
        if (values.isEmpty() && field.optional()) {
            return Collections.singletonList(null);
        }
        return values;
    }

    private final class JoinKeyReader {
        private final FieldReader reader;

        JoinKeyReader(String field) {
            this.reader = FieldReader.of(field, types);
        }

        List<Object> read(Event event) {
            List<Object> values = reader.values(event);
            if (reader.type() == FieldType.DATE_NANOS) {
                // a date key is reported in milliseconds whatever the field's precision
                values.replaceAll(nanos -> Math.floorDiv((Long) nanos, 1_000_000L));
            }
            Set<Object> distinct = new LinkedHashSet<>();
            values.forEach(v -> distinct.add(v instanceof Ip ip ? ip.toString() : v));
            return new ArrayList<>(distinct);
        }
    }

    /** Keys the cache by the query instance: hashing a deep AST record on every event would cost more than it saves. */
    private record Identity(EventQuery query) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.query == query;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(query);
        }
    }
}
