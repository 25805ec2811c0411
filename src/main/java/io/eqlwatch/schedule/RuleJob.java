package io.eqlwatch.schedule;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerContext;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job of one rule. Quartz never runs two of them for the same rule at once, on this node
 * or, with the clustered store, on any other: a run that outlasts the interval makes the next one
 * start late rather than overlap it.
 *
 * <p>The job names its rule by id and version only (a shared store holds no Java objects); the rule
 * itself comes from this node's own rules folder, and a node whose copy has another version does
 * not run it, so two versions of one rule never run side by side.
 */
@DisallowConcurrentExecution
public final class RuleJob implements Job {

    static final String VERSION = "rule_version";
    static final String MODIFIED = "rule_modified";
    static final String RUNNER = "eqlwatch.runner";
    static final String CLOCK = "eqlwatch.clock";
    static final String CATALOG = "eqlwatch.catalog";

    private static final Logger LOG = LoggerFactory.getLogger(RuleJob.class);

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String ruleId = context.getJobDetail().getKey().getName();
        String scheduled = context.getMergedJobDataMap().getString(VERSION);
        RuleRunner runner;
        Clock clock;
        RuleCatalog catalog;
        try {
            SchedulerContext shared = context.getScheduler().getContext();
            runner = (RuleRunner) shared.get(RUNNER);
            clock = (Clock) shared.get(CLOCK);
            catalog = (RuleCatalog) shared.get(CATALOG);
        } catch (SchedulerException e) {
            throw new JobExecutionException("scheduler context is incomplete", e);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        RuleCatalog.Entry local = catalog.get(ruleId);
        if (local == null || !local.version().equals(scheduled)) {
            String reason = local == null
                    ? "not run on this node: the rule is scheduled in the cluster but is not in this node's rules folder"
                    : "not run on this node: its copy of the rule is version " + local.version()
                            + " but the cluster schedules version " + scheduled + " (the rules folders differ)";
            String name = local == null ? ruleId : local.rule().name();
            LOG.warn("rule {} ({}) {}", name, ruleId, reason);
            try {
                runner.refuse(ruleId, name, now, reason);
            } catch (RuntimeException e) {
                LOG.warn("rule {}: the refusal could not be recorded: {}", ruleId, e.getMessage());
            }
            return;
        }
        try {
            ExecutionSummary summary = runner.execute(local.rule(), now);
            ExecutionLog.fields(LOG.atInfo(), summary).log(summary.line());
        } catch (RuntimeException e) {
            // A failed run must not unschedule the rule: the next run covers this one's window too,
            // because the checkpoint did not move.
            LOG.error("rule {} ({}) failed: {}", local.rule().name(), ruleId, e.getMessage(), e);
        }
    }
}
