package io.eqlwatch.schedule;

import io.eqlwatch.rule.Rule;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
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
 */
public final class RuleScheduler implements AutoCloseable {

    private static final String GROUP = "rules";
    private static final Logger LOG = LoggerFactory.getLogger(RuleScheduler.class);

    private final Scheduler scheduler;

    public RuleScheduler(RuleRunner runner, Clock clock, int threads) {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "eqlwatch");
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        // A trigger more than a second late counts as misfired and fires once, now; with Quartz's
        // default of a minute, the fires missed during a long run would each run back to back.
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
        try {
            scheduler = new StdSchedulerFactory(properties).getScheduler();
            scheduler.getContext().put(RuleJob.RUNNER, runner);
            scheduler.getContext().put(RuleJob.CLOCK, clock);
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
        try {
            Set<JobKey> wanted = new HashSet<>();
            for (Rule rule : rules) {
                if (!rule.enabled()) {
                    continue;
                }
                JobKey key = JobKey.jobKey(rule.ruleId(), GROUP);
                wanted.add(key);
                JobDetail existing = scheduler.getJobDetail(key);
                if (existing != null && sameRule((Rule) existing.getJobDataMap().get(RuleJob.RULE), rule)) {
                    continue;
                }
                if (existing != null) {
                    scheduler.deleteJob(key);
                    LOG.info("rule {} changed: rescheduled every {}", rule.name(), rule.intervalText());
                } else {
                    LOG.info("rule {} scheduled every {} over {}", rule.name(), rule.intervalText(), rule.from());
                }
                schedule(key, rule);
            }
            for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
                if (!wanted.contains(key)) {
                    scheduler.deleteJob(key);
                    LOG.info("rule {} removed: unscheduled", key.getName());
                }
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule rules: " + e.getMessage(), e);
        }
    }

    private void schedule(JobKey key, Rule rule) throws SchedulerException {
        JobDataMap data = new JobDataMap();
        data.put(RuleJob.RULE, rule);
        JobDetail job = JobBuilder.newJob(RuleJob.class).withIdentity(key).usingJobData(data).build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(key.getName(), GROUP)
                .startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(rule.interval().toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNowWithExistingCount())
                .build();
        scheduler.scheduleJob(job, trigger);
    }

    /** Rules are equal for scheduling when their YAML says the same; {@code source} paths do not count. */
    private static boolean sameRule(Rule a, Rule b) {
        return a != null && a.equals(b);
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
            Thread waiter = new Thread(() -> {
                try {
                    scheduler.shutdown(true);
                } catch (SchedulerException e) {
                    LOG.warn("scheduler shutdown: {}", e.getMessage());
                }
            }, "eqlwatch-shutdown");
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
