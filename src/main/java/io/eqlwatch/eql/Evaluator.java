package io.eqlwatch.eql;

import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.eval.Compiler;
import io.eqlwatch.eql.eval.Condition;
import io.eqlwatch.eql.eval.Ip;
import io.eqlwatch.eql.eval.TypedValues;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.Set;

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
            category = compiler.condition(new Expr.Comparison(io.eqlwatch.eql.ast.ComparisonOperator.EQ,
                    new Expr.Field(categoryField, false), new Expr.Literal(query.category())));
        }
        return new CompiledEventQuery(query, category, compiler.condition(query.condition()));
    }

    @Override
    public boolean matches(EventQuery query, Event event) {
        return compile(query).matches(event);
    }

    /**
     * One entry per distinct value of the key on the event, in the form Elasticsearch returns it
     * (keyword text, long, double, canonical ip text, boolean; dates as stored). A missing field
     * gives no entry (the event takes no part in a join), except an optional {@code ?field}, which
     * gives one {@code null} key.
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
        private final String field;
        private final FieldType type;

        JoinKeyReader(String field) {
            this.field = field;
            this.type = types.of(field);
        }

        List<Object> read(Event event) {
            List<Object> raw = event.values(field);
            if (raw.isEmpty()) {
                return List.of();
            }
            Set<Object> out = new LinkedHashSet<>();
            for (Object value : raw) {
                Object normal = TypedValues.normalize(type, value);
                if (normal == null) {
                    continue;
                }
                if (normal instanceof Ip ip) {
                    out.add(ip.toString());
                } else if (type == FieldType.DATE) {
                    out.add(value);
                } else {
                    out.add(normal);
                }
            }
            return new ArrayList<>(out);
        }
    }
}
