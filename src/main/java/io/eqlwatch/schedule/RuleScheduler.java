package io.eqlwatch.schedule;

import io.eqlwatch.rule.Rule;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every enabled rule on its interval with Quartz, and lets the rule set change while running.
 *
 * <p>A misfired trigger (the previous run overran, or the JVM was paused) fires once as soon as it
 * can and then keeps its rhythm; it never fires the missed runs one after another, because the
 * checkpoint already makes the next run read everything that was missed.
 *
 * <p>With a {@linkplain SchedulerStore#clustered() clustered} store every node applies its own rules
 * folder to the one shared schedule. A node replaces a job only with a copy of the rule at least as
 * new as the one scheduled (by file time), so a node with a stale checkout neither undoes an edit
 * nor runs the old version: it refuses the rule's runs until its copy matches. Likewise a rule is
 * unscheduled only by a node that saw its file go.
 */
public final class RuleScheduler implements AutoCloseable {

    private static final String GROUP = "rules";
    private static final int MAX_CLAIMED_AT_ONCE = 64;
    private static final long CLAIM_AHEAD_MILLIS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(RuleScheduler.class);

    private final Scheduler scheduler;
    private final RuleCatalog catalog = new RuleCatalog();
    private final boolean clustered;
    private final RuleRunner runner;

    public RuleScheduler(RuleRunner runner, Clock clock, int threads) {
        this(runner, clock, threads, SchedulerStore.inMemory());
    }

    public RuleScheduler(RuleRunner runner, Clock clock, int threads, SchedulerStore store) {
        this.clustered = store.clustered();
        this.runner = runner;
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "eqlwatch");
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        // A trigger more than a second late counts as misfired and fires once, now; with Quartz's
        // default of a minute, the fires missed during a long run would each run back to back.
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
        // Rules due together are claimed together (one store round trip, not one per rule), so that their jobs
        // start within moments of each other and a coalescing runner can execute them as one batch.
        properties.setProperty(
                "org.quartz.scheduler.batchTriggerAcquisitionMaxCount",
                Integer.toString(Math.min(threads, MAX_CLAIMED_AT_ONCE)));
        properties.setProperty(
                "org.quartz.scheduler.batchTriggerAcquisitionFireAheadTimeWindow", Long.toString(CLAIM_AHEAD_MILLIS));
        store.properties().forEach(properties::setProperty);
        try {
            scheduler = new StdSchedulerFactory(properties).getScheduler();
            scheduler.getContext().put(RuleJob.RUNNER, runner);
            scheduler.getContext().put(RuleJob.CLOCK, clock);
            scheduler.getContext().put(RuleJob.CATALOG, catalog);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot create the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    public void start() {
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the scheduled rules equal to the given ones: new rules are scheduled, removed ones
     * unscheduled, and a rule whose content changed is replaced (its next run uses the new interval,
     * look-back and query). An unchanged rule keeps its trigger, so a reload does not make it run early.
     */
    public synchronized void apply(Collection<Rule> rules) {
        // One start for every rule scheduled by this call: rules on the same interval then keep firing together.
        Date start = new Date();
        try {
            Set<String> hadHere = catalog.ruleIds();
            Map<String, RuleCatalog.Entry> wanted =
                    catalog.update(rules.stream().filter(Rule::enabled).toList());
            for (RuleCatalog.Entry entry : wanted.values()) {
                Rule rule = entry.rule();
                JobKey key = JobKey.jobKey(rule.ruleId(), GROUP);
                JobDetail existing = scheduler.getJobDetail(key);
                if (existing == null) {
                    scheduleNew(key, entry, start);
                    continue;
                }
                String scheduledVersion = existing.getJobDataMap().getString(RuleJob.VERSION);
                if (entry.version().equals(scheduledVersion)) {
                    continue;
                }
                if (clustered && entry.modified() < modifiedOf(existing)) {
                    LOG.warn(
                            "rule {}: this node's copy (version {}) is older than the one the cluster runs (version {});"
                                    + " this node does not run the rule until its rules folder has the newer copy",
                            rule.name(),
                            entry.version(),
                            scheduledVersion);
                    continue;
                }
                // Job and trigger replaced in one step, so that no other node sees the rule unscheduled.
                scheduler.scheduleJob(job(key, entry), Set.of(trigger(key, rule, start)), true);
                LOG.info(
                        "rule {} changed: rescheduled every {} (version {})",
                        rule.name(),
                        rule.intervalText(),
                        entry.version());
            }
            runner.retainOnly(wanted.keySet());
            for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
                if (wanted.containsKey(key.getName())) {
                    continue;
                }
                // In a cluster only a removal this node saw happen unschedules a rule: a node started on an
                // old checkout, or with its rules volume not mounted, must not unschedule the others' rules.
                if (!clustered || hadHere.contains(key.getName())) {
                    scheduler.deleteJob(key);
                    LOG.info("rule {} removed: unscheduled", key.getName());
                } else {
                    LOG.warn(
                            "rule {} is scheduled in the cluster but not in this node's rules folder; this node"
                                    + " does not run it",
                            key.getName());
                }
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule rules: " + e.getMessage(), e);
        }
    }

    private void scheduleNew(JobKey key, RuleCatalog.Entry entry, Date start) throws SchedulerException {
        Rule rule = entry.rule();
        try {
            scheduler.scheduleJob(job(key, entry), trigger(key, rule, start));
            LOG.info(
                    "rule {} scheduled every {} over {} (version {})",
                    rule.name(),
                    rule.intervalText(),
                    rule.from(),
                    entry.version());
        } catch (ObjectAlreadyExistsException e) {
            // Another node, starting at the same moment, scheduled it first; its copy is the same or is
            // reconciled at this node's next rules-folder change.
            LOG.info("rule {} already scheduled by another node", rule.name());
        }
    }

    private static JobDetail job(JobKey key, RuleCatalog.Entry entry) {
        // Strings only: a shared store keeps job data as properties, readable by every node's version of eqlwatch.
        JobDataMap data = new JobDataMap();
        data.put(RuleJob.VERSION, entry.version());
        data.put(RuleJob.MODIFIED, Long.toString(entry.modified()));
        return JobBuilder.newJob(RuleJob.class)
                .withIdentity(key)
                .usingJobData(data)
                .build();
    }

    private static Trigger trigger(JobKey key, Rule rule, Date start) {
        return TriggerBuilder.newTrigger()
                .withIdentity(key.getName(), GROUP)
                .forJob(key)
                .startAt(start)
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(rule.interval().toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNowWithExistingCount())
                .build();
    }

    private static long modifiedOf(JobDetail job) {
        try {
            return Long.parseLong(job.getJobDataMap().getString(RuleJob.MODIFIED));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The interval at which a rule is scheduled now, for status output and tests. */
    public synchronized Duration scheduledInterval(String ruleId) {
        try {
            for (Trigger trigger : scheduler.getTriggersOfJob(JobKey.jobKey(ruleId, GROUP))) {
                if (trigger instanceof org.quartz.SimpleTrigger simple) {
                    return Duration.ofMillis(simple.getRepeatInterval());
                }
            }
            return null;
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops scheduling new runs and waits up to {@code grace} for running ones to finish, so that
     * their state is recorded; what is still running after that is abandoned with the JVM.
     */
    public void shutdown(Duration grace) {
        try {
            scheduler.standby();
            Thread waiter = new Thread(
                    () -> {
                        try {
                            scheduler.shutdown(true);
                        } catch (SchedulerException e) {
                            LOG.warn("scheduler shutdown: {}", e.getMessage());
                        }
                    },
                    "eqlwatch-shutdown");
            waiter.start();
            waiter.join(TimeUnit.MILLISECONDS.convert(grace));
            if (waiter.isAlive()) {
                LOG.warn("a rule run was still going after {}s; exiting without waiting for it", grace.toSeconds());
            }
        } catch (SchedulerException e) {
            LOG.warn("scheduler shutdown: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(30));
    }
}
