package io.eqlwatch.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.EventEvaluator;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.dsl.PushDownTranslator;
import io.eqlwatch.eql.dsl.ReadFilter;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.tuning.ExceptingEvaluator;
import io.eqlwatch.tuning.ExceptionMatcher;
import io.eqlwatch.tuning.ExceptionQuery;
import io.eqlwatch.tuning.KibanaFilters;
import java.time.Instant;

/**
 * A rule made ready to run against the current mappings: its evaluator (which compares values as
 * the mapped types do, and in which excepted events satisfy no positive stage) and its push-down
 * filters (without the excepted events in positive stages, with the rule's Kibana {@code filters}
 * in every stage). Prepared once per execution, not per window, because the mappings rarely change
 * and looking them up costs a round trip; exception items that have expired by the execution's
 * instant are left out.
 *
 * @param stageFilters builds the filter of single stages, for reads narrowed by stage
 * @param exceptions   the rule's unexpired exceptions, for reports of what they removed
 */
public record PreparedRule(Rule rule, FieldTypes types, EventEvaluator evaluator, ObjectNode readFilter,
        ReadFilter stageFilters, ExceptionMatcher exceptions) {

    /** Prepared with the exceptions that apply at the current wall-clock time. */
    public static PreparedRule of(Rule rule, FieldTypes types) {
        return of(rule, types, Instant.now());
    }

    public static PreparedRule of(Rule rule, FieldTypes types, Instant now) {
        ExceptionMatcher exceptions = ExceptionMatcher.of(rule.tuning().exceptions(), types, now);
        EventEvaluator evaluator = ExceptingEvaluator.wrap(new Evaluator(types, rule.eventCategoryField()), exceptions,
                rule.query());
        ReadFilter filters = new ReadFilter(new PushDownTranslator(types, rule.eventCategoryField()),
                ExceptionQuery.anyItem(rule.tuning().exceptions(), now), KibanaFilters.toQuery(rule.tuning().filters()));
        return new PreparedRule(rule, types, evaluator, filters.of(rule.query()), filters, exceptions);
    }

    /** The same rule without its exceptions: what it would find untuned (for previews). */
    public PreparedRule withoutExceptions() {
        EventEvaluator plain = new Evaluator(types, rule.eventCategoryField());
        ReadFilter filters = new ReadFilter(new PushDownTranslator(types, rule.eventCategoryField()), null,
                KibanaFilters.toQuery(rule.tuning().filters()));
        return new PreparedRule(rule, types, plain, filters.of(rule.query()), filters, ExceptionMatcher.none());
    }
}
