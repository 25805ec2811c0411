package io.eqlwatch.schedule;

import io.eqlwatch.engine.Match;
import io.eqlwatch.plan.RulePlan;
import java.util.List;

/**
 * Finds a rule's matches in one window: {@link WindowDetection} reads them itself; a batch of rules
 * that share one read hands the {@link RunLoop} what that read found for each of them.
 */
@FunctionalInterface
public interface WindowDetector {

    WindowDetection.Result detect(RulePlan plan, TimeWindow window);

    /**
     * The matches with their events' whole sources, for the alerts: a read may have fetched only the
     * fields the rules read. The same list when the events are whole already.
     */
    default List<Match> withFullSources(List<Match> matches) {
        return matches;
    }
}
