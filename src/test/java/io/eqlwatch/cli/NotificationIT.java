package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.notify.ConnectorsFile;
import io.eqlwatch.notify.ElasticsearchAlertLookup;
import io.eqlwatch.notify.ElasticsearchOutbox;
import io.eqlwatch.notify.NotificationService;
import io.eqlwatch.notify.OutboxEntry;
import io.eqlwatch.testing.ElasticsearchHarness;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications end to end against real receivers: the JDK's HTTP server standing in for a
 * webhook, Slack, Teams and PagerDuty, GreenMail as the SMTP server, and the real Elasticsearch
 * holding alerts and the outbox. Backoffs are milliseconds so that an hour's outage takes seconds.
 */
class NotificationIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String RULE_ID = "58bc134c-e8d2-4291-a552-b4b3e537c60b";
    private static final String RULE_NAME = "Potential Lateral Tool Transfer via SMB Share";
    private static final String KIBANA = "http://kibana.example:5601";

    @TempDir
    Path folder;

    private RecordingReceiver receiver;
    private GreenMail mail;
    private SmbRuleFixture fixture;
    private String notificationsIndex;

    @BeforeEach
    void start() throws IOException {
        receiver = new RecordingReceiver();
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        mail.setUser("soc@example.com", "eqlwatch", "smtp-password-7c1e");
        fixture = new SmbRuleFixture(ES, folder);
        notificationsIndex = ES.uniqueIndexName("eqlwatch-notifications");
    }

    @AfterEach
    void stop() {
        receiver.close();
        mail.stop();
    }

    @Test
    void eachNewAlertIsSentOnceToEveryConnectorAndAnOverlappingReRunSendsNothing() throws Exception {
        Path connectors = connectorsFile("");
        addActions(
                """
                actions:
                  - connector: hook
                  - connector: slack
                  - connector: teams
                  - connector: pager
                  - connector: mail
                """);
        DefendEventGenerator generator = new DefendEventGenerator(31);
        fixture.indexScenarios(List.of(
                generator.attack(NOW.minus(Duration.ofMinutes(4))),
                generator.attack(NOW.minus(Duration.ofMinutes(2)))));

        CommandRun first = once(NOW, connectors);
        CommandRun overlapping = once(NOW.plus(Duration.ofMinutes(5)), connectors);

        assertEquals(0, first.exitCode, first.toString());
        assertEquals(2, first.count("alerts written"), first.toString());
        assertEquals(2, overlapping.count("duplicates skipped"), overlapping.toString());
        Set<String> shellIds = shellIds();
        assertEquals(2, shellIds.size());
        for (String path : List.of("/hook", "/slack", "/teams", "/pagerduty")) {
            assertEquals(2, receiver.requests(path).size(), path + " got one message per alert: " + first);
        }
        assertEquals(2, mail.getReceivedMessages().length, "one mail per alert");

        // The webhook: bearer auth from the secret file, the whole alert as JSON by default.
        Set<String> hookAlerts = new HashSet<>();
        for (RecordingReceiver.Request request : receiver.requests("/hook")) {
            assertEquals("Bearer hook-token-5d2a", request.header("Authorization"));
            assertEquals("eqlwatch", request.header("X-Source"));
            JsonNode alert = request.json().path("alert");
            hookAlerts.add(alert.path("id").asText());
            assertEquals(2, alert.path("events").size(), "the sequence's two events");
            assertTrue(
                    alert.path("url")
                            .asText()
                            .startsWith(KIBANA + "/app/security/alerts/redirect/"
                                    + alert.path("id").asText() + "?index="),
                    alert.path("url").asText());
        }
        assertEquals(shellIds, hookAlerts);

        // Slack: Block Kit with the rule as header and a button to the alert in Kibana.
        JsonNode slack = receiver.requests("/slack").get(0).json();
        assertEquals("header", slack.path("blocks").path(0).path("type").asText());
        assertEquals(
                RULE_NAME,
                slack.path("blocks").path(0).path("text").path("text").asText());
        assertTrue(
                slack.path("blocks").path(1).path("text").path("text").asText().contains("Host: "), slack.toString());
        assertTrue(
                slack.path("blocks")
                        .path(2)
                        .path("elements")
                        .path(0)
                        .path("url")
                        .asText()
                        .startsWith(KIBANA + "/app/security/alerts/redirect/"),
                slack.toString());

        // Teams: an Adaptive Card.
        JsonNode teams = receiver.requests("/teams").get(0).json();
        assertEquals(
                "application/vnd.microsoft.card.adaptive",
                teams.path("attachments").path(0).path("contentType").asText());

        // PagerDuty: dedup_key is the alert id, severity mapped from medium.
        Set<String> dedupKeys = new HashSet<>();
        for (RecordingReceiver.Request request : receiver.requests("/pagerduty")) {
            JsonNode event = request.json();
            assertEquals("pd-routing-key-91ab", event.path("routing_key").asText());
            assertEquals("trigger", event.path("event_action").asText());
            assertEquals("warning", event.path("payload").path("severity").asText());
            dedupKeys.add(event.path("dedup_key").asText());
        }
        assertEquals(shellIds, dedupKeys);

        // Email: authenticated SMTP, text and HTML alternatives.
        MimeMessage message = mail.getReceivedMessages()[0];
        assertTrue(message.getSubject().contains(RULE_NAME), message.getSubject());
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertEquals(2, parts.getCount());
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        assertTrue(((String) parts.getBodyPart(0).getContent()).contains("Open in Kibana: " + KIBANA));

        Map<OutboxEntry.Status, Long> counts = outbox().counts(RULE_ID);
        assertEquals(Map.of(OutboxEntry.Status.SENT, 10L), counts);
    }

    @Test
    void aSummaryIsOneMessagePerExecutionThatWroteAlerts() throws Exception {
        Path connectors = connectorsFile("");
        addActions("actions:\n  - connector: hook\n    frequency: summary\n");
        DefendEventGenerator generator = new DefendEventGenerator(41);
        fixture.indexScenarios(List.of(
                generator.attack(NOW.minus(Duration.ofMinutes(5))),
                generator.attack(NOW.minus(Duration.ofMinutes(4))),
                generator.attack(NOW.minus(Duration.ofMinutes(3)))));

        once(NOW, connectors);
        fixture.indexScenarios(List.of(generator.attack(NOW.plus(Duration.ofMinutes(2)))));
        CommandRun second = once(NOW.plus(Duration.ofMinutes(5)), connectors);
        CommandRun third = once(NOW.plus(Duration.ofMinutes(10)), connectors);

        List<RecordingReceiver.Request> messages = receiver.requests("/hook");
        assertEquals(2, messages.size(), second + "\n" + third);
        assertEquals(3, messages.get(0).json().path("alerts_count").asInt());
        assertEquals(3, messages.get(0).json().path("alerts").size());
        assertEquals(1, messages.get(1).json().path("alerts_count").asInt());
    }

    @Test
    void aThrottleSendsAtMostOneMessagePerPeriod() throws Exception {
        Path connectors = connectorsFile("");
        addActions("actions:\n  - connector: slack\n    throttle: 1h\n");
        DefendEventGenerator generator = new DefendEventGenerator(51);
        fixture.indexScenarios(List.of(
                generator.attack(NOW.minus(Duration.ofMinutes(5))),
                generator.attack(NOW.minus(Duration.ofMinutes(4))),
                generator.attack(NOW.minus(Duration.ofMinutes(3)))));

        CommandRun run = once(NOW, connectors);

        assertEquals(1, receiver.requests("/slack").size(), run.toString());
        ES.refresh(notificationsIndex);
        Map<OutboxEntry.Status, Long> counts = outbox().counts(RULE_ID);
        assertEquals(1L, counts.get(OutboxEntry.Status.SENT));
        assertEquals(2L, counts.get(OutboxEntry.Status.THROTTLED));
        assertTrue(outbox().recent(RULE_ID, OutboxEntry.Status.THROTTLED, 5)
                .get(0)
                .lastError()
                .startsWith("throttled"));
    }

    @Test
    void aReceiverThatFailsForAWhileGetsEveryMessageOnceOldestFirstAndADeadOneHoldsUpNoOne() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        Path connectors = connectorsFile(
                """
                  dead:
                    type: webhook
                    url: http://127.0.0.1:%d/nothing-listens
                """
                        .formatted(deadPort));
        addActions("actions:\n  - connector: dead\n  - connector: hook\n");
        DefendEventGenerator generator = new DefendEventGenerator(61);
        List<Scenario> attacks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            attacks.add(generator.attack(NOW.minus(Duration.ofMinutes(8 - i))));
        }
        fixture.indexScenarios(attacks);
        // Down for its first four requests, however long they take to come: an outage of several retries.
        receiver.answer(() -> receiver.refused() < 4 ? 500 : 200);

        CommandRun run = once(NOW, connectors);
        assertEquals(0, run.exitCode, run.toString());
        assertEquals(0, receiver.requests("/hook").size());
        assertTrue(receiver.refused() >= 1);

        try (NotificationService daemon = new NotificationService(
                outbox(),
                new ElasticsearchAlertLookup(ES.client(), fixture.alertsIndex),
                new ConnectorsFile().load(connectors),
                fixture.alertsIndex,
                "default",
                Clock.systemUTC())) {
            daemon.start();
            await(() -> receiver.requests("/hook").size() >= 4, Duration.ofSeconds(30));
            Thread.sleep(1000); // time for a duplicate to show up, if one were coming
        }

        List<RecordingReceiver.Request> delivered = receiver.requests("/hook");
        assertEquals(4, delivered.size());
        List<String> times = delivered.stream()
                .map(r -> r.json().path("alert").path("original_time").asText())
                .toList();
        assertEquals(times.stream().sorted().toList(), times, "oldest first");
        assertEquals(
                shellIds(),
                new HashSet<>(delivered.stream()
                        .map(r -> r.json().path("alert").path("id").asText())
                        .toList()));
        assertEquals(4, receiver.refused(), "the outage lasted through several attempts");
        ES.refresh(notificationsIndex);
        List<OutboxEntry> stuck = outbox().recent(RULE_ID, OutboxEntry.Status.PENDING, 10);
        assertEquals(4, stuck.size(), "the dead receiver's notifications wait for it");
        assertTrue(stuck.stream().allMatch(e -> e.connector().equals("dead")), stuck.toString());
        // Its oldest is retried with backoff; the others queue behind it untried, so they keep their order.
        assertEquals(
                1,
                stuck.stream()
                        .filter(e -> e.lastError() != null && e.lastError().contains("unreachable"))
                        .count(),
                stuck.toString());
    }

    @Test
    void killedRightAfterWritingAlertsItSendsEachMessageOnceAfterRestartAndNeverAgainLeaksNoSecret() throws Exception {
        Path connectors = connectorsFile("");
        addActions("actions:\n  - connector: hook\n  - connector: envslack\n");
        // Secrets from the environment, which the children get and the logs must not show.
        Files.writeString(
                connectors,
                """
                  envslack:
                    type: slack
                    url: {env: TEST_SLACK_URL}
                """,
                StandardOpenOption.APPEND);
        String slackUrl = receiver.url("/services/T0/B0/slack-token-e83f0c");
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DefendEventGenerator generator = new DefendEventGenerator(71);
        fixture.indexScenarios(List.of(
                generator.attack(start.minus(Duration.ofMinutes(3))),
                generator.attack(start.minus(Duration.ofMinutes(2)))));
        receiver.answer(() -> 503);

        Path firstLog = folder.resolve("first.log");
        Process first = daemon(connectors, slackUrl, firstLog);
        try {
            awaitLog(firstLog, "attempt 1 failed", Duration.ofSeconds(90));
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing marked
            first.waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(2, fixture.shellAlerts().size(), "the alerts were written before the kill");
        assertEquals(0, receiver.requestsUnder("/").size());

        receiver.answer(() -> 200);
        Path secondLog = folder.resolve("second.log");
        Process second = daemon(connectors, slackUrl, secondLog);
        try {
            await(
                    () -> receiver.requests("/hook").size() >= 2
                            && receiver.requestsUnder("/services/").size() >= 2,
                    Duration.ofSeconds(90));
            Thread.sleep(2000);
        } finally {
            second.destroy();
            second.waitFor(40, TimeUnit.SECONDS);
        }
        Path thirdLog = folder.resolve("third.log");
        Process third = child(connectors, slackUrl, thirdLog, "once");
        assertTrue(third.waitFor(120, TimeUnit.SECONDS));

        assertEquals(0, third.exitValue(), Files.readString(thirdLog));
        assertEquals(2, receiver.requests("/hook").size(), "each alert once to the webhook");
        assertEquals(2, receiver.requestsUnder("/services/").size(), "each alert once to Slack");
        assertEquals(
                shellIds(),
                new HashSet<>(receiver.requests("/hook").stream()
                        .map(r -> r.json().path("alert").path("id").asText())
                        .toList()));
        for (Path log : List.of(firstLog, secondLog, thirdLog)) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(log.equals(thirdLog) || text.contains("DEBUG"), "the daemon logged at DEBUG");
            assertFalse(text.contains("slack-token-e83f0c"), "the Slack URL's token is not in " + log);
            assertFalse(text.contains("hook-token-5d2a"), "the bearer token is not in " + log);
            assertFalse(text.contains("pd-routing-key-91ab"), "the routing key is not in " + log);
            assertFalse(text.contains("smtp-password-7c1e"), "the SMTP password is not in " + log);
        }
    }

    private Process daemon(Path connectors, String slackUrl, Path log) throws IOException {
        return child(connectors, slackUrl, log, "run", "--shutdown-grace-seconds", "20");
    }

    /** {@code java -jar target/eqlwatch.jar COMMAND} on this test's indices, logging at DEBUG. */
    private Process child(Path connectors, String slackUrl, Path log, String... command) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", "target/eqlwatch.jar"));
        args.addAll(List.of(command));
        args.addAll(List.of(
                "--es-url",
                ES.url(),
                "--rules",
                fixture.rules.toString(),
                "--alerts-index",
                fixture.alertsIndex,
                "--state-index",
                fixture.stateIndex,
                "--connectors",
                connectors.toString(),
                "--notifications-index",
                notificationsIndex));
        ProcessBuilder builder =
                new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TEST_SLACK_URL", slackUrl);
        builder.environment().put("EQLWATCH_LOG_LEVEL", "DEBUG");
        return builder.start();
    }

    private CommandRun once(Instant now, Path connectors) {
        return fixture.once(
                now.toString(), "--connectors", connectors.toString(), "--notifications-index", notificationsIndex);
    }

    private ElasticsearchOutbox outbox() {
        return new ElasticsearchOutbox(ES.client(), notificationsIndex);
    }

    private Set<String> shellIds() {
        Set<String> ids = new HashSet<>();
        for (ObjectNode shell : fixture.shellAlerts()) {
            ids.add(shell.path("kibana.alert.uuid").asText());
        }
        return ids;
    }

    private void addActions(String yaml) throws IOException {
        Files.writeString(
                fixture.rules.resolve("lateral_tool_transfer_smb.yml"), "\n" + yaml, StandardOpenOption.APPEND);
    }

    /** Every connector type pointed at the local receivers, secrets in files beside it. */
    private Path connectorsFile(String extraConnectors) throws IOException {
        Path secrets = Files.createDirectories(folder.resolve("secrets"));
        Files.writeString(secrets.resolve("hook-token"), "hook-token-5d2a\n");
        Files.writeString(secrets.resolve("slack-url"), receiver.url("/slack"));
        Files.writeString(secrets.resolve("teams-url"), receiver.url("/teams"));
        Files.writeString(secrets.resolve("pd-key"), "pd-routing-key-91ab");
        Files.writeString(secrets.resolve("smtp-password"), "smtp-password-7c1e");
        String yaml =
                """
                kibana_url: %s
                delivery:
                  backoff: 100ms
                  max_backoff: 400ms
                  give_up_after: 10m
                  timeout: 3s
                  poll: 200ms
                connectors:
                  hook:
                    type: webhook
                    url: %s
                    headers:
                      X-Source: eqlwatch
                    auth:
                      type: bearer
                      token: {file: %s}
                  slack:
                    type: slack
                    url: {file: %s}
                  teams:
                    type: teams
                    url: {file: %s}
                  pager:
                    type: pagerduty
                    routing_key: {file: %s}
                    url: %s
                  mail:
                    type: email
                    host: 127.0.0.1
                    port: %d
                    security: none
                    username: eqlwatch
                    password: {file: %s}
                    from: eqlwatch@example.com
                    to: [soc@example.com]
                """
                                .formatted(
                                        KIBANA,
                                        receiver.url("/hook"),
                                        secrets.resolve("hook-token"),
                                        secrets.resolve("slack-url"),
                                        secrets.resolve("teams-url"),
                                        secrets.resolve("pd-key"),
                                        receiver.url("/pagerduty"),
                                        mail.getSmtp().getPort(),
                                        secrets.resolve("smtp-password"))
                        + extraConnectors;
        Path file = folder.resolve("connectors.yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static void awaitLog(Path log, String fragment, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(log)
                || !Files.readString(log, StandardCharsets.UTF_8).contains(fragment)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + fragment + "' not logged within " + timeout + ":\n"
                        + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(100);
        }
    }
}
