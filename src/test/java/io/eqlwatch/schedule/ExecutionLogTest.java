package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.logging.EcsFieldsEncoder;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The daemon's log line for a rule execution, as EQLWATCH_LOG_FORMAT=ecs writes it: the rule, the
 * outcome, the duration and the counts are fields an operator filters on in Kibana, not only text.
 */
class ExecutionLogTest {

    private static final String RULE =
            """
            rule_id: 55555555-1111-2222-3333-444444444444
            name: Logged rule
            description: logs its executions
            type: eql
            index: [logs-*]
            severity: low
            risk_score: 21
            interval: 1s
            from: now-9s
            query: process where true
            """;

    @Test
    void eachScheduledExecutionIsLoggedWithEcsFieldsAndNumbersAsNumbers() throws Exception {
        Rule rule = new RuleLoader().parse(RULE, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Logger jobLogger = (Logger) LoggerFactory.getLogger(RuleJob.class);
        OutputStreamAppender<ILoggingEvent> appender = ecsAppender(jobLogger.getLoggerContext(), out);
        jobLogger.addAppender(appender);
        RuleScheduler scheduler = new RuleScheduler(
                (r, now) -> new ExecutionSummary(
                        r.ruleId(),
                        r.name(),
                        "exec-1",
                        now,
                        Duration.ofMillis(1500),
                        List.of(new TimeWindow(now.minusSeconds(9), now)),
                        120,
                        4,
                        3,
                        1,
                        0,
                        List.of(),
                        "shard failure",
                        9,
                        Duration.ofSeconds(30),
                        Duration.ZERO),
                Clock.systemUTC(),
                1);
        try {
            scheduler.apply(List.of(rule));
            scheduler.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!out.toString(StandardCharsets.UTF_8).contains("\n") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            scheduler.shutdown(Duration.ofSeconds(5));
            jobLogger.detachAppender(appender);
        }
        String firstLine =
                out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        JsonNode log = new ObjectMapper().readTree(firstLine);
        assertEquals(rule.ruleId(), log.path("rule.id").asText());
        assertEquals("Logged rule", log.path("rule.name").asText());
        assertEquals("failure", log.path("event.outcome").asText());
        assertEquals("shard failure", log.path("error.message").asText());
        assertTrue(log.path("event.duration").isIntegralNumber(), firstLine);
        assertEquals(1_500_000_000L, log.path("event.duration").asLong(), "ECS durations are nanoseconds");
        assertEquals(120, log.path("eqlwatch.execution.events_read").asLong());
        assertTrue(log.path("eqlwatch.execution.events_read").isIntegralNumber());
        assertEquals(4, log.path("eqlwatch.execution.sequences_found").asLong());
        assertEquals(3, log.path("eqlwatch.execution.alerts_written").asLong());
        assertEquals(1, log.path("eqlwatch.execution.duplicates_skipped").asLong());
        assertEquals(9, log.path("eqlwatch.execution.open_sequences_peak").asLong());
        assertEquals(30_000, log.path("eqlwatch.execution.checkpoint_lag_ms").asLong());
        assertEquals("failed", log.path("eqlwatch.execution.status").asText());
        assertTrue(log.path("message").asText().contains("Logged rule"), "the text stays for people");
        assertFalse(log.has("eqlwatch.execution.unknown"));
        assertEquals("eqlwatch", log.path("service.name").asText());
    }

    private static OutputStreamAppender<ILoggingEvent> ecsAppender(LoggerContext context, ByteArrayOutputStream out) {
        EcsFieldsEncoder encoder = new EcsFieldsEncoder();
        encoder.setContext(context);
        encoder.setServiceName("eqlwatch");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        return appender;
    }
}
