package io.eqlwatch.plan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.dsl.ReadFilter;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.tuning.ExceptionMatcher;
import io.eqlwatch.tuning.ExceptionQuery;
import io.eqlwatch.tuning.KibanaFilters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A rule's exceptions and filters compiled into its query plan. An excepted event satisfies no
 * stage that needs an event (in memory, and left out of that stage's read as {@code must_not}),
 * but it still satisfies an {@code until} stage and a missing-event stage {@code ![...]}: hiding it
 * there would end no sequence and fill no gap, and so raise alerts the unexcepted data does not
 * support. (Kibana sends exceptions as a {@code must_not} over the whole EQL request, so there an
 * excepted event is hidden from those stages too.) The rule's Kibana {@code filters} are ANDed
 * into every stage's read; Elasticsearch applies them exactly, and every event the engine sees
 * came through such a read, so they are not evaluated again in memory.
 */
final class TunedPlan {

    private TunedPlan() {}

    /** The plan with the items unexpired at {@code now} and the filters; the plan itself when there are none. */
    static QueryPlan apply(QueryPlan plan, Rule rule, FieldTypes types, Instant now) {
        ExceptionMatcher exceptions = ExceptionMatcher.of(rule.tuning().exceptions(), types, now);
        ObjectNode excepted = ExceptionQuery.anyItem(rule.tuning().exceptions(), now);
        ObjectNode required = KibanaFilters.toQuery(rule.tuning().filters());
        if (exceptions.isEmpty() && required == null) {
            return plan;
        }
        List<StagePlan> stages = new ArrayList<>();
        for (StagePlan stage : plan.stages()) {
            stages.add(tuned(stage, !stage.missing(), exceptions, excepted, required));
        }
        StagePlan until = plan.until() == null ? null : tuned(plan.until(), false, exceptions, excepted, required);
        ObjectNode readFilter = null;
        if (plan.readFilter() != null) {
            List<ObjectNode> any = new ArrayList<>();
            stages.forEach(stage -> any.add(stage.pushDown()));
            if (until != null) {
                any.add(until.pushDown());
            }
            readFilter = any.size() == 1 ? any.get(0) : ReadFilter.anyOf(any);
        }
        return new QueryPlan(
                plan.query(),
                plan.shape(),
                stages,
                until,
                plan.sharedKeys(),
                plan.maxspan(),
                plan.pipes(),
                readFilter,
                plan.fieldsRead());
    }

    private static StagePlan tuned(
            StagePlan stage, boolean positive, ExceptionMatcher exceptions, ObjectNode excepted, ObjectNode required) {
        Predicate<Event> condition = stage.condition();
        if (positive && !exceptions.isEmpty()) {
            Predicate<Event> plain = condition;
            condition = event -> plain.test(event) && !exceptions.excepts(event);
        }
        ObjectNode pushDown = stage.pushDown();
        if (pushDown != null) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            ObjectNode bool = node.putObject("bool");
            ArrayNode filter = bool.putArray("filter");
            filter.add(pushDown.deepCopy());
            if (required != null) {
                filter.add(required.deepCopy());
            }
            if (positive && excepted != null) {
                bool.putArray("must_not").add(excepted.deepCopy());
            }
            pushDown = node;
        }
        return new StagePlan(
                stage.position(),
                stage.query(),
                condition,
                stage.keys(),
                stage.keyExtractor(),
                pushDown,
                stage.missing(),
                stage.runs());
    }
}
