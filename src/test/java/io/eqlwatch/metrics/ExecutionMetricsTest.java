package io.eqlwatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.schedule.ExecutionSummary;
import io.eqlwatch.schedule.TimeWindow;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Prometheus text an operator scrapes after some executions: names, labels and values. */
class ExecutionMetricsTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private static final String LABELS = "rule_id=\"r-1\",rule_name=\"SMB transfer\"";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExecutionMetrics metrics = new ExecutionMetrics(registry);

    static ExecutionSummary summary(
            String error,
            List<String> warnings,
            long read,
            long found,
            long written,
            long duplicates,
            long dropped,
            long peak,
            Duration lag,
            Duration gap) {
        return new ExecutionSummary(
                "r-1",
                "SMB transfer",
                "e",
                T,
                Duration.ofMillis(250),
                List.of(new TimeWindow(T.minusSeconds(300), T)),
                read,
                found,
                written,
                duplicates,
                dropped,
                warnings,
                error,
                peak,
                lag,
                gap);
    }

    @Test
    void countersAddUpOverExecutionsAndGaugesHoldTheLastOne() {
        finish(summary(null, List.of(), 100, 3, 2, 1, 0, 7, Duration.ZERO, Duration.ZERO));
        finish(summary(null, List.of("capped"), 50, 4, 1, 0, 3, 2, Duration.ofSeconds(90), Duration.ofMinutes(10)));
        String text = registry.scrape();
        assertEquals(150, value(text, "eqlwatch_rule_events_read_total"), text);
        assertEquals(7, value(text, "eqlwatch_rule_sequences_found_total"));
        assertEquals(3, value(text, "eqlwatch_rule_alerts_written_total"));
        assertEquals(1, value(text, "eqlwatch_rule_duplicates_skipped_total"));
        assertEquals(3, value(text, "eqlwatch_rule_dropped_by_cap_total"));
        assertEquals(600, value(text, "eqlwatch_rule_unfilled_gap_seconds_total"));
        assertEquals(2, value(text, "eqlwatch_rule_open_sequences_peak"), "the last execution's peak, not the maximum");
        assertEquals(90, value(text, "eqlwatch_rule_checkpoint_lag_seconds"));
        assertEquals(2, value(text, "eqlwatch_rule_execution_duration_seconds_count"));
        assertEquals(0.5, value(text, "eqlwatch_rule_execution_duration_seconds_sum"));
    }

    @Test
    void executionsAreCountedByOutcomeAndEveryOutcomeExistsFromTheFirst() {
        finish(summary(null, List.of(), 1, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO));
        String text = registry.scrape();
        assertEquals(1, value(text, "eqlwatch_rule_executions_total", ",outcome=\"succeeded\""));
        assertEquals(
                0,
                value(text, "eqlwatch_rule_executions_total", ",outcome=\"failed\""),
                "a failure alert can be written before the first failure");
        finish(summary("cluster gone", List.of(), 0, 0, 0, 0, 0, 0, Duration.ofMinutes(5), Duration.ZERO));
        finish(summary(null, List.of("1 malformed event(s) skipped"), 0, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO));
        text = registry.scrape();
        assertEquals(1, value(text, "eqlwatch_rule_executions_total", ",outcome=\"failed\""));
        assertEquals(1, value(text, "eqlwatch_rule_executions_total", ",outcome=\"warning\""));
        assertEquals(1, value(text, "eqlwatch_rule_executions_total", ",outcome=\"succeeded\""));
    }

    @Test
    void eachRuleHasItsOwnSeries() {
        finish(summary(null, List.of(), 10, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO));
        finish(new ExecutionSummary("r-2", "Other", "e", T, Duration.ZERO, List.of(), 4, 0, 0, 0, 0, List.of(), null));
        String text = registry.scrape();
        assertEquals(10, value(text, "eqlwatch_rule_events_read_total"));
        assertTrue(text.contains("eqlwatch_rule_events_read_total{rule_id=\"r-2\",rule_name=\"Other\"} 4.0"), text);
    }

    /** One finished execution (the metrics look at the summary only). */
    private void finish(ExecutionSummary summary) {
        metrics.executionFinished(null, summary, List.of());
    }

    static double value(String text, String name) {
        return value(text, name, "");
    }

    /** The value of the series of rule r-1 with exactly these labels (Prometheus sorts them by name). */
    static double value(String text, String name, String extraLabels) {
        Set<String> wanted = new TreeSet<>(List.of((LABELS + extraLabels).split(",")));
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$")
                .matcher(text);
        while (m.find()) {
            if (new TreeSet<>(List.of(m.group(1).split(","))).equals(wanted)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no " + name + wanted + " in:\n" + text);
    }
}
