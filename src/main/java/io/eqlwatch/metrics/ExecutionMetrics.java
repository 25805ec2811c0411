package io.eqlwatch.metrics;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.schedule.ExecutionListener;
import io.eqlwatch.schedule.ExecutionSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-rule meters fed by each finished execution. Counters grow with what the rule read, found and
 * wrote; gauges hold what the last execution left: its memory high-water mark and how far its
 * checkpoint trails. Every outcome counter exists from a rule's first execution, so a rate or an
 * alert on "failed" works before the first failure.
 */
public final class ExecutionMetrics implements ExecutionListener {

    static final List<String> OUTCOMES = List.of("succeeded", "warning", "failed");

    private final MeterRegistry registry;
    private final Map<Tags, RuleMeters> meters = new ConcurrentHashMap<>();

    public ExecutionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void executionFinished(Rule rule, ExecutionSummary summary, List<String> createdAlertIds) {
        Tags labels = Tags.of("rule_id", summary.ruleId(), "rule_name", summary.ruleName());
        RuleMeters m = meters.computeIfAbsent(labels, this::register);
        executions(labels, summary.outcome()).increment();
        m.duration.record(summary.took());
        m.eventsRead.increment(summary.eventsRead());
        m.sequencesFound.increment(summary.sequencesFound());
        m.alertsWritten.increment(summary.alertsWritten());
        m.duplicatesSkipped.increment(summary.duplicatesSkipped());
        m.droppedByCap.increment(summary.droppedByCap());
        m.unfilledGapSeconds.increment(summary.unfilledGap().toMillis() / 1000.0);
        m.peakOpenSequences.set(summary.peakOpenSequences());
        m.checkpointLagMillis.set(summary.checkpointLag().toMillis());
    }

    private RuleMeters register(Tags rule) {
        for (String outcome : OUTCOMES) {
            executions(rule, outcome);
        }
        RuleMeters m = new RuleMeters(
                Timer.builder("eqlwatch.rule.execution.duration")
                        .description("Time one execution of the rule took")
                        .tags(rule)
                        .register(registry),
                counter("eqlwatch.rule.events.read", "Events read from Elasticsearch", null, rule),
                counter(
                        "eqlwatch.rule.sequences.found",
                        "Matches the engine produced, before de-duplication and the cap",
                        null,
                        rule),
                counter("eqlwatch.rule.alerts.written", "Matches written as new alerts", null, rule),
                counter("eqlwatch.rule.duplicates.skipped", "Matches that already had alerts", null, rule),
                counter("eqlwatch.rule.dropped.by.cap", "New matches left for the next run by max_signals", null, rule),
                counter(
                        "eqlwatch.rule.unfilled.gap",
                        "Time beyond the catch-up limit left unread (fill with backfill)",
                        "seconds",
                        rule));
        Gauge.builder("eqlwatch.rule.open.sequences.peak", m.peakOpenSequences, AtomicLong::get)
                .description("Most partial sequences held at once during the last execution")
                .tags(rule)
                .register(registry);
        Gauge.builder("eqlwatch.rule.checkpoint.lag", m.checkpointLagMillis, lag -> lag.get() / 1000.0)
                .description("How far the rule's checkpoint trailed its last execution's now")
                .baseUnit("seconds")
                .tags(rule)
                .register(registry);
        return m;
    }

    private Counter executions(Tags rule, String outcome) {
        return Counter.builder("eqlwatch.rule.executions")
                .description("Executions of the rule, by how they ended")
                .tags(rule)
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter counter(String name, String description, String unit, Tags rule) {
        return Counter.builder(name)
                .description(description)
                .baseUnit(unit)
                .tags(rule)
                .register(registry);
    }

    private record RuleMeters(
            Timer duration,
            Counter eventsRead,
            Counter sequencesFound,
            Counter alertsWritten,
            Counter duplicatesSkipped,
            Counter droppedByCap,
            Counter unfilledGapSeconds,
            AtomicLong peakOpenSequences,
            AtomicLong checkpointLagMillis) {
        RuleMeters(
                Timer duration,
                Counter eventsRead,
                Counter sequencesFound,
                Counter alertsWritten,
                Counter duplicatesSkipped,
                Counter droppedByCap,
                Counter unfilledGapSeconds) {
            this(
                    duration,
                    eventsRead,
                    sequencesFound,
                    alertsWritten,
                    duplicatesSkipped,
                    droppedByCap,
                    unfilledGapSeconds,
                    new AtomicLong(),
                    new AtomicLong());
        }
    }
}
