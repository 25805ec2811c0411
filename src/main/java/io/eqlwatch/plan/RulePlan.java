package io.eqlwatch.plan;

import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A rule compiled once for the field types of its indices: the query plan, where its events are
 * read, and what a run needs to know of the rule. Reading, matching, alert building and the run
 * loop all take this, so none of them works the query's shape out again. Immutable.
 *
 * @param rule  the rule as loaded
 * @param types the mapped types the plan was compiled for
 * @param query the compiled query
 * @param read  the indices and the fields events are ordered and selected by
 */
public record RulePlan(Rule rule, FieldTypes types, QueryPlan query, ReadSpec read) {

    public RulePlan {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(types, "types");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(read, "read");
    }

    public QueryShape shape() {
        return query.shape();
    }

    /** See {@link QueryPlan#overlap()}. */
    public Duration overlap() {
        return query.overlap();
    }

    /**
     * Every field a run of the rule reads from an event: the query's, and the fields events are
     * ordered and selected by (what a read may limit {@code _source} to).
     */
    public Set<String> fieldsRead() {
        Set<String> fields = new LinkedHashSet<>(query.fieldsRead());
        fields.add(read.timestampField());
        fields.add(read.windowField());
        if (read.tiebreakerField() != null) {
            fields.add(read.tiebreakerField());
        }
        return Set.copyOf(fields);
    }

    /**
     * The {@code _source} paths a run reads from an event, what a read may limit {@code _source} to: the fields
     * read ({@link #fieldsRead()}), the path in {@code _source} of each that is an alias, and the fields the
     * rule's exceptions test (an excepted event must read as excepted). An object path brings everything below
     * it, as Elasticsearch's source filtering selects it, nested objects and dotted keys alike.
     */
    public Set<String> sourceFields() {
        Set<String> fields = new TreeSet<>(fieldsRead());
        rule.tuning().exceptions().forEach(item -> item.entries().forEach(entry -> fields.add(entry.field())));
        Set<String> paths = new TreeSet<>(fields);
        fields.forEach(field -> paths.add(types.sourcePath(field)));
        return Set.copyOf(paths);
    }

    /**
     * How far in time from one event its match partners can lie: the maxspan, or, for a sequence or
     * sample without one, the look-back (what a run reads at most).
     */
    public Duration partnerReach() {
        return query.maxspan() != null ? query.maxspan() : rule.lookBack();
    }
}
