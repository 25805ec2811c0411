package io.eqlwatch.schedule;

import io.eqlwatch.rule.Rule;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job of one rule. Quartz never runs two of them for the same rule at once: a run that
 * outlasts the interval makes the next one start late rather than overlap it.
 */
@DisallowConcurrentExecution
public final class RuleJob implements Job {

    static final String RULE = "rule";
    static final String RUNNER = "eqlwatch.runner";
    static final String CLOCK = "eqlwatch.clock";

    private static final Logger LOG = LoggerFactory.getLogger(RuleJob.class);

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        Rule rule = (Rule) context.getMergedJobDataMap().get(RULE);
        try {
            RuleRunner runner = (RuleRunner) context.getScheduler().getContext().get(RUNNER);
            Clock clock = (Clock) context.getScheduler().getContext().get(CLOCK);
            ExecutionSummary summary = runner.execute(rule, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            ExecutionLog.fields(LOG.atInfo(), summary).log(summary.line());
        } catch (SchedulerException e) {
            throw new JobExecutionException("scheduler context is incomplete", e);
        } catch (RuntimeException e) {
            // A failed run must not unschedule the rule: the next run covers this one's window too,
            // because the checkpoint did not move.
            LOG.error("rule {} ({}) failed: {}", rule.name(), rule.ruleId(), e.getMessage(), e);
        }
    }
}
