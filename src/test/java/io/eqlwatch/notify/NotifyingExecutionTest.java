package io.eqlwatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleAction;
import io.eqlwatch.schedule.ExecutionSummary;
import io.eqlwatch.schedule.RuleExecutor;
import io.eqlwatch.schedule.RunLoop;
import io.eqlwatch.schedule.WindowDetection;
import io.eqlwatch.schedule.WindowPlanner;
import io.eqlwatch.testing.InMemoryAlertSink;
import io.eqlwatch.testing.InMemoryEventSource;
import io.eqlwatch.testing.InMemoryRunStateStore;
import io.eqlwatch.testing.SmbTestData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scheduled executions with notifications, on the run loop's in-memory ports. */
class NotifyingExecutionTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private final InMemoryEventSource events = new InMemoryEventSource(SmbTestData.TYPES);
    private final InMemoryAlertSink alerts = new InMemoryAlertSink();
    private final InMemoryRunStateStore state = new InMemoryRunStateStore();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final MutableClock clock = new MutableClock(NOW);
    private final AlertLookup written = ids -> alerts.existing(ids);
    private final ScriptedConnector slack = new ScriptedConnector("slack");
    private final Map<String, Rule> rules = new HashMap<>();

    private final Rule rule = withActions(
            SmbTestData.rule(100),
            List.of(new RuleAction("slack", RuleAction.Frequency.PER_ALERT, null, null, Map.of())));

    private ExecutionSummary execute(Instant now) {
        NotifyingSink sink = new NotifyingSink(
                alerts, new OutboxStager(outbox, written, "eqlwatch-alerts-default", "default", clock), rules::get);
        rules.put(rule.ruleId(), rule);
        return new RuleExecutor(
                        indices -> SmbTestData.TYPES,
                        new RunLoop(new WindowDetection(events, 100), "default"),
                        sink,
                        state,
                        new WindowPlanner(Duration.ofHours(24)),
                        Clock.fixed(now, ZoneOffset.UTC),
                        List.of())
                .execute(rule, now);
    }

    private Dispatcher dispatcher() {
        return new Dispatcher(outbox, written, Connectors.of(Map.of("slack", slack)), NotifySettings.none(), clock);
    }

    @Test
    void eachNewAlertIsStagedOnceAndAnOverlappingRunStagesNothing() {
        events.addAll(SmbTestData.transfers(3, NOW.minusSeconds(120)));

        ExecutionSummary first = execute(NOW);
        dispatcher().dispatch();
        ExecutionSummary overlapping = execute(NOW.plus(Duration.ofMinutes(1)));
        dispatcher().dispatch();

        assertEquals(3, first.alertsWritten());
        assertEquals(3, overlapping.duplicatesSkipped());
        assertEquals(3, outbox.all().size());
        assertEquals(3, slack.delivered.size());
        assertEquals(
                alerts.primaries().stream().map(d -> d.id()).sorted().toList(),
                slack.deliveredIds().stream().sorted().toList());
    }

    @Test
    void aRunThatDiesAfterStagingNotifiesOnceTheReRunWritesTheAlerts() {
        events.addAll(SmbTestData.transfers(2, NOW.minusSeconds(120)));
        alerts.failFromWrite(1);

        ExecutionSummary failed = execute(NOW);
        dispatcher().dispatch();

        assertNotNull(failed.error());
        assertEquals(2, outbox.all().size(), "staged before the write that failed");
        assertEquals(0, slack.delivered.size(), "nothing is sent for alerts that do not exist");

        alerts.heal();
        ExecutionSummary rerun = execute(NOW.plus(Duration.ofMinutes(1)));
        dispatcher().dispatch();
        dispatcher().dispatch();

        assertNull(rerun.error());
        assertEquals(2, rerun.alertsWritten());
        assertEquals(2, outbox.all().size(), "staging again changed nothing");
        assertEquals(2, slack.delivered.size(), "each alert once");
    }

    @Test
    void aRuleWithoutActionsStagesNothing() {
        events.addAll(SmbTestData.transfers(2, NOW.minusSeconds(120)));
        rules.put(rule.ruleId(), SmbTestData.rule(100));
        NotifyingSink sink = new NotifyingSink(
                alerts,
                new OutboxStager(outbox, written, "eqlwatch-alerts-default", "default", clock),
                id -> SmbTestData.rule(100));
        new RuleExecutor(
                        indices -> SmbTestData.TYPES,
                        new RunLoop(new WindowDetection(events, 100), "default"),
                        sink,
                        state,
                        new WindowPlanner(Duration.ofHours(24)),
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        List.of())
                .execute(SmbTestData.rule(100), NOW);

        assertEquals(2, alerts.primaries().size());
        assertEquals(0, outbox.all().size());
    }

    private static Rule withActions(Rule r, List<RuleAction> actions) {
        return r.toBuilder().actions(actions).build();
    }
}
