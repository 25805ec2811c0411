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
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Evaluates EQL on events in memory with the results Elasticsearch's EQL gives, given the mapped
 * types of the fields. A query plan compiles each stage once with {@link #compile(EventQuery)} and
 * binds each join key with {@link #joinReader(Expr)}; {@link #matches} compiles anew on every call
 * and suits one-off checks only. Thread-safe.
 */
public final class Evaluator implements EventEvaluator {

    /** Elasticsearch's default {@code event_category_field}. */
    public static final String DEFAULT_CATEGORY_FIELD = "event.category";

    private final FieldTypes types;
    private final String categoryField;
    private final Compiler compiler;

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

    /** Compiles the query: the category test and the condition as closures with every pattern prepared. */
    @Override
    public CompiledEventQuery compile(EventQuery query) {
        Condition category;
        if (query.anyCategory()) {
            category = e -> true;
        } else {
            // "category where" is a term query on the category field: any element of an array matches
            category = compiler.condition(new Expr.Comparison(
                    io.eqlwatch.eql.ast.ComparisonOperator.EQ,
                    new Expr.Field(categoryField, false),
                    new Expr.Literal(query.category())));
        }
        return new CompiledEventQuery(query, category, compiler.compile(query.condition()));
    }

    @Override
    public boolean matches(EventQuery query, Event event) {
        return compile(query).matches(event);
    }

    /**
     * One entry per distinct value of the key on the event, in the form Elasticsearch returns it
     * (keyword text, long, double, canonical ip text, boolean; dates as epoch milliseconds, as its composite
     * aggregation reports a date key). A missing field gives no entry (the event takes no part in a join),
     * except an optional {@code ?field}, which gives one {@code null} key.
     */
    @Override
    public List<Object> joinValues(Expr key, Event event) {
        return joinReader(key).apply(event);
    }

    /** Binds the key's field and mapped type once; the reader then only reads values. */
    @Override
    public Function<Event, List<Object>> joinReader(Expr key) {
        if (!(key instanceof Expr.Field field)) {
            throw new IllegalArgumentException("a join key must be a field, not " + key);
        }
        JoinKeyReader reader = new JoinKeyReader(field.name());
        if (!field.optional()) {
            return reader::read;
        }
        return event -> {
            List<Object> values = reader.read(event);
            return values.isEmpty() ? Collections.singletonList(null) : values;
        };
    }

    private final class JoinKeyReader {
        private final FieldReader reader;

        JoinKeyReader(String field) {
            this.reader = FieldReader.of(field, types);
        }

        List<Object> read(Event event) {
            List<Object> raw = reader.raw(event);
            if (raw.size() == 1) {
                // the usual key, one value: no copy and no set to make it distinct
                Object value = reader.normalize(raw.get(0));
                return value == null ? List.of() : List.of(keyForm(value));
            }
            List<Object> values = reader.values(event);
            if (reader.type() == FieldType.DATE_NANOS) {
                // a date key is reported in milliseconds whatever the field's precision
                values.replaceAll(nanos -> Math.floorDiv((Long) nanos, 1_000_000L));
            }
            Set<Object> distinct = new LinkedHashSet<>();
            values.forEach(v -> distinct.add(v instanceof Ip ip ? ip.toString() : v));
            return new ArrayList<>(distinct);
        }

        /** One normalised value as a key holds it: a date in milliseconds, an ip as its canonical text. */
        private Object keyForm(Object value) {
            if (reader.type() == FieldType.DATE_NANOS) {
                return Math.floorDiv((Long) value, 1_000_000L);
            }
            return value instanceof Ip ip ? ip.toString() : value;
        }
    }
}
