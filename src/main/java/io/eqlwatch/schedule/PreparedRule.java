package io.eqlwatch.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.analysis.Verifier;
import io.eqlwatch.eql.dsl.PushDownTranslator;
import io.eqlwatch.eql.dsl.ReadFilter;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;

/**
 * A rule made ready to run against the current mappings: its evaluator (which compares values as
 * the mapped types do) and its push-down filter. Prepared once per execution, not per window,
 * because the mappings rarely change and looking them up costs a round trip.
 */
public record PreparedRule(Rule rule, FieldTypes types, Evaluator evaluator, ObjectNode readFilter) {

    /** @throws io.eqlwatch.eql.analysis.QueryRejectedException when Elasticsearch would refuse the query against the types */
    public static PreparedRule of(Rule rule, FieldTypes types) {
        Verifier.check(rule.query(), types, "rule '" + rule.name() + "' cannot run against the mappings of " + rule.index());
        Evaluator evaluator = new Evaluator(types, rule.eventCategoryField());
        ObjectNode filter = new ReadFilter(new PushDownTranslator(types, rule.eventCategoryField())).of(rule.query());
        return new PreparedRule(rule, types, evaluator, filter);
    }
}
