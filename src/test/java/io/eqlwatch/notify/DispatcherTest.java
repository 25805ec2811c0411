package io.eqlwatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.rule.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DispatcherTest {

    private static final DeliveryPolicy POLICY = new DeliveryPolicy(
            Duration.ofSeconds(30),
            Duration.ofMinutes(5),
            Duration.ofHours(2),
            Duration.ofSeconds(10),
            Duration.ofSeconds(15),
            Duration.ofHours(24));

    private final MutableClock clock = new MutableClock(NotifyFixtures.NOW.plusSeconds(120));
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final Set<String> writtenAlerts = new HashSet<>();
    private final AlertLookup alerts = ids -> {
        Set<String> found = new HashSet<>(ids);
        found.retainAll(writtenAlerts);
        return found;
    };
    private final OutboxStager stager = new OutboxStager(outbox, alerts, "eqlwatch-alerts-default", "default", clock);

    private Dispatcher dispatcher(ScriptedConnector... connectors) {
        Map<String, Connector> byName = new java.util.HashMap<>();
        for (ScriptedConnector connector : connectors) {
            byName.put(connector.definition().name(), connector);
        }
        return new Dispatcher(outbox, alerts, Connectors.of(byName), new NotifySettings(Map.of(), null, POLICY), clock);
    }

    /** Stages groups as the executor does before writing them, then "writes" them. */
    private List<String> newAlerts(Rule rule, int count, String prefix) {
        List<AlertGroup> groups = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            groups.add(
                    NotifyFixtures.transfer(rule, prefix + i, "HOST-" + prefix + i, NotifyFixtures.NOW.plusSeconds(i)));
        }
        stager.stage(rule, "exec", groups);
        List<String> ids = groups.stream().map(AlertGroup::id).toList();
        writtenAlerts.addAll(ids);
        return ids;
    }

    private static Rule perAlert(String connector) {
        return NotifyFixtures.smbRule("actions:\n  - connector: " + connector + "\n    frequency: per_alert\n");
    }

    @Test
    void sendsEachNewAlertOnceOldestFirst() {
        ScriptedConnector slack = new ScriptedConnector("slack");
        Dispatcher dispatcher = dispatcher(slack);
        List<String> ids = newAlerts(perAlert("slack"), 3, "a");

        DispatchReport first = dispatcher.dispatch();
        DispatchReport second = dispatcher.dispatch();

        assertEquals(ids, slack.deliveredIds());
        assertEquals(3, first.messages());
        assertEquals(0, second.messages());
        assertTrue(
                outbox.all().stream().allMatch(e -> e.status() == OutboxEntry.Status.SENT),
                outbox.all().toString());
    }

    @Test
    void aNotificationWaitsForItsAlertAndIsAbandonedWhenItNeverComes() {
        ScriptedConnector slack = new ScriptedConnector("slack");
        Dispatcher dispatcher = dispatcher(slack);
        Rule rule = perAlert("slack");
        AlertGroup unwritten = NotifyFixtures.transfer(rule, "x", "HOST-X", NotifyFixtures.NOW);
        stager.stage(rule, "exec", List.of(unwritten));

        assertEquals(1, dispatcher.dispatch().waiting());
        assertEquals(List.of(), slack.deliveredIds());

        clock.advance(Duration.ofHours(25));
        assertEquals(1, dispatcher.dispatch().abandoned());
        assertEquals(OutboxEntry.Status.ABANDONED, outbox.all().get(0).status());
        assertEquals(List.of(), slack.deliveredIds());
    }

    @Test
    void aKilledRunsNotificationIsSentOnceTheReRunWritesTheAlert() {
        ScriptedConnector slack = new ScriptedConnector("slack");
        Dispatcher dispatcher = dispatcher(slack);
        Rule rule = perAlert("slack");
        AlertGroup group = NotifyFixtures.transfer(rule, "k", "HOST-K", NotifyFixtures.NOW);
        stager.stage(rule, "killed-run", List.of(group));
        dispatcher.dispatch();

        // The re-run finds the alert still missing, stages again (a no-op) and writes it.
        stager.stage(rule, "re-run", List.of(group));
        writtenAlerts.add(group.id());
        dispatcher.dispatch();
        // A third run sees the alert as a duplicate and stages nothing.
        assertEquals(0, stager.stage(rule, "later", List.of(group)));
        dispatcher.dispatch();

        assertEquals(List.of(group.id()), slack.deliveredIds());
        assertEquals(1, outbox.all().size());
    }

    @Test
    void aReceiverThatFailsForAWhileGetsEveryMessageOnceInOrder() {
        ScriptedConnector webhook = new ScriptedConnector("hook").then(DeliveryOutcome.retry("hook answered 500"), 6);
        Dispatcher dispatcher = dispatcher(webhook);
        List<String> ids = newAlerts(perAlert("hook"), 4, "r");

        for (int minute = 0; minute < 60; minute++) {
            dispatcher.dispatch();
            clock.advance(Duration.ofMinutes(1));
        }

        assertEquals(ids, webhook.deliveredIds());
        assertEquals(10, webhook.attempts, "6 failures, then 4 deliveries");
        OutboxEntry oldest = outbox.get(outbox.all().stream()
                .filter(e -> e.alertId().equals(ids.get(0)))
                .findFirst()
                .orElseThrow()
                .id());
        assertEquals(7, oldest.attempts());
        assertEquals(OutboxEntry.Status.SENT, oldest.status());
    }

    @Test
    void retriesWaitForTheirBackoff() {
        ScriptedConnector webhook = new ScriptedConnector("hook").then(DeliveryOutcome.retry("500"), 2);
        Dispatcher dispatcher = dispatcher(webhook);
        newAlerts(perAlert("hook"), 1, "b");

        dispatcher.dispatch();
        dispatcher.dispatch();
        clock.advance(Duration.ofSeconds(29));
        dispatcher.dispatch();
        assertEquals(1, webhook.attempts, "no retry before the 30 s backoff");
        clock.advance(Duration.ofSeconds(1));
        dispatcher.dispatch();
        assertEquals(2, webhook.attempts);
        clock.advance(Duration.ofSeconds(59));
        dispatcher.dispatch();
        assertEquals(2, webhook.attempts, "the second backoff is 60 s");
        clock.advance(Duration.ofSeconds(1));
        dispatcher.dispatch();
        assertEquals(3, webhook.attempts);
        assertEquals(1, webhook.delivered.size());
    }

    @Test
    void givesUpAfterTheLimitWithTheLastReason() {
        ScriptedConnector webhook =
                new ScriptedConnector("hook").then(DeliveryOutcome.retry("hook answered 503"), 1000);
        Dispatcher dispatcher = dispatcher(webhook);
        newAlerts(perAlert("hook"), 2, "g");

        for (int minute = 0; minute <= 130; minute++) {
            dispatcher.dispatch();
            clock.advance(Duration.ofMinutes(1));
        }

        assertTrue(
                outbox.all().stream().allMatch(e -> e.status() == OutboxEntry.Status.FAILED),
                outbox.all().toString());
        String reason = outbox.all().get(0).lastError();
        assertTrue(reason.startsWith("gave up after ") && reason.endsWith("hook answered 503"), reason);
    }

    @Test
    void aRefusalFailsAtOnceAndTheNextMessageGoesOn() {
        ScriptedConnector webhook = new ScriptedConnector("hook").then(DeliveryOutcome.refused("hook answered 400"), 1);
        Dispatcher dispatcher = dispatcher(webhook);
        List<String> ids = newAlerts(perAlert("hook"), 2, "f");

        DispatchReport report = dispatcher.dispatch();

        assertEquals(1, report.failed());
        assertEquals(List.of(ids.get(1)), webhook.deliveredIds());
    }

    @Test
    void aFailingReceiverDoesNotHoldUpAnother() {
        ScriptedConnector down = new ScriptedConnector("down").then(DeliveryOutcome.retry("unreachable"), 1000);
        ScriptedConnector up = new ScriptedConnector("up");
        Dispatcher dispatcher = dispatcher(down, up);
        Rule rule = NotifyFixtures.smbRule("actions:\n  - connector: down\n  - connector: up\n");
        List<String> ids = newAlerts(rule, 3, "d");

        dispatcher.dispatch();

        assertEquals(ids, up.deliveredIds());
        assertEquals(1, down.attempts, "the down receiver's queue waits behind its oldest message");
    }

    @Test
    void aSummarySendsOneMessagePerExecution() {
        ScriptedConnector mail = new ScriptedConnector("mail");
        Dispatcher dispatcher = dispatcher(mail);
        Rule rule = NotifyFixtures.smbRule("actions:\n  - connector: mail\n    frequency: summary\n");
        List<String> first = newAlerts(rule, 3, "s");
        dispatcher.dispatch();
        List<String> second = newAlerts(rule, 2, "t");
        dispatcher.dispatch();

        assertEquals(List.of(first, second), mail.delivered);
    }

    @Test
    void aDigestWaitsForItsInterval() {
        ScriptedConnector mail = new ScriptedConnector("mail");
        Dispatcher dispatcher = dispatcher(mail);
        Rule rule = NotifyFixtures.smbRule("actions:\n  - connector: mail\n    frequency: summary\n    interval: 1h\n");
        List<String> first = newAlerts(rule, 1, "h");
        dispatcher.dispatch();
        clock.advance(Duration.ofMinutes(10));
        List<String> second = newAlerts(rule, 2, "i");
        dispatcher.dispatch();
        clock.advance(Duration.ofMinutes(20));
        List<String> third = newAlerts(rule, 1, "j");
        dispatcher.dispatch();
        assertEquals(List.of(first), mail.delivered);

        clock.advance(Duration.ofMinutes(30));
        dispatcher.dispatch();

        List<String> digest = new ArrayList<>(second);
        digest.addAll(third);
        assertEquals(List.of(first, digest), mail.delivered);
    }

    @Test
    void aThrottleLetsOneMessagePerPeriodThrough() {
        ScriptedConnector slack = new ScriptedConnector("slack");
        Dispatcher dispatcher = dispatcher(slack);
        Rule rule = NotifyFixtures.smbRule("actions:\n  - connector: slack\n    throttle: 30m\n");
        List<String> burst = newAlerts(rule, 3, "p");
        dispatcher.dispatch();
        clock.advance(Duration.ofMinutes(31));
        List<String> later = newAlerts(rule, 1, "q");
        dispatcher.dispatch();

        assertEquals(List.of(burst.get(0), later.get(0)), slack.deliveredIds());
        assertEquals(
                2,
                outbox.all().stream()
                        .filter(e -> e.status() == OutboxEntry.Status.THROTTLED)
                        .count());
    }

    @Test
    void twoDispatchersOnOneOutboxSendEachMessageOnce() {
        ScriptedConnector slack = new ScriptedConnector("slack");
        Dispatcher one = dispatcher(slack);
        Dispatcher two = dispatcher(slack);
        List<String> ids = newAlerts(perAlert("slack"), 2, "c");
        // The second dispatcher read the outbox before the first sent (a stale read).
        List<OutboxEntry> staleView = outbox.open(10);
        one.dispatch();
        OutboxStore stale = new OutboxStore() {
            @Override
            public void stage(List<OutboxEntry> entries) {
                outbox.stage(entries);
            }

            @Override
            public List<OutboxEntry> open(int limit) {
                return staleView;
            }

            @Override
            public java.util.Optional<OutboxEntry> replace(OutboxEntry updated) {
                return outbox.replace(updated);
            }

            @Override
            public java.util.Optional<java.time.Instant> lastSent(String ruleId, String actionKey) {
                return outbox.lastSent(ruleId, actionKey);
            }

            @Override
            public List<OutboxEntry> recent(String ruleId, OutboxEntry.Status status, int limit) {
                return outbox.recent(ruleId, status, limit);
            }

            @Override
            public Map<OutboxEntry.Status, Long> counts(String ruleId) {
                return outbox.counts(ruleId);
            }
        };
        new Dispatcher(
                        stale,
                        alerts,
                        Connectors.of(Map.of("slack", slack)),
                        new NotifySettings(Map.of(), null, POLICY),
                        clock)
                .dispatch();
        two.dispatch();

        assertEquals(ids, slack.deliveredIds());
    }

    @Test
    void anUndefinedConnectorIsRetriedThenFailedWithAReason() {
        Dispatcher dispatcher = dispatcher();
        newAlerts(perAlert("nowhere"), 1, "u");

        dispatcher.dispatch();
        clock.advance(Duration.ofHours(3));
        dispatcher.dispatch();

        OutboxEntry entry = outbox.all().get(0);
        assertEquals(OutboxEntry.Status.FAILED, entry.status());
        assertTrue(entry.lastError().contains("connector 'nowhere' is not defined"), entry.lastError());
    }
}
