package io.eqlwatch.schedule;

import io.eqlwatch.plan.RulePlan;

/**
 * Finds a rule's matches in one window: {@link WindowDetection} reads them itself; a batch of rules
 * that share one read hands the {@link RunLoop} what that read found for each of them.
 */
@FunctionalInterface
public interface WindowDetector {

    WindowDetection.Result detect(RulePlan plan, TimeWindow window);
}
