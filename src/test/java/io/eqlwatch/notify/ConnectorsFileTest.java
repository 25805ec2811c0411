package io.eqlwatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorsFileTest {

    private static final Path FILE = Path.of("connectors.yml");
    private final ConnectorsFile loader = new ConnectorsFile(Map.of(
            "SLACK_URL", "https://hooks.slack.com/services/T1/B2/abcdef",
            "PD_KEY", "R0UT1NGKEY",
            "HOOK_TOKEN", "tok-123")::get);

    @TempDir
    Path folder;

    @Test
    void readsEveryConnectorTypeWithItsSecretsFromTheEnvironmentAndFiles() throws IOException {
        Path password = folder.resolve("smtp-password");
        Files.writeString(password, "s3cret\n");
        NotifySettings settings = loader.parse(
                """
                kibana_url: https://kibana.example.com
                delivery:
                  backoff: 10s
                  give_up_after: 3h
                connectors:
                  hook:
                    type: webhook
                    method: put
                    url: https://receiver.example.com/alerts
                    headers:
                      X-Team: soc
                    auth: {type: bearer, token: {env: HOOK_TOKEN}}
                    body: '{"text": "{{rule.name}}"}'
                  soc-slack:
                    type: slack
                    url: {env: SLACK_URL}
                  teams:
                    type: teams
                    url: {env: SLACK_URL}
                  pager:
                    type: pagerduty
                    routing_key: {env: PD_KEY}
                  mail:
                    type: email
                    host: smtp.example.com
                    username: eqlwatch
                    password: {file: %s}
                    from: eqlwatch@example.com
                    to: [soc@example.com, oncall@example.com]
                """
                        .formatted(password),
                FILE);

        assertEquals("https://kibana.example.com", settings.kibanaUrl().toString());
        assertEquals(Duration.ofSeconds(10), settings.delivery().initialBackoff());
        assertEquals(Duration.ofHours(3), settings.delivery().giveUpAfter());
        assertEquals(DeliveryPolicy.DEFAULT.maxBackoff(), settings.delivery().maxBackoff());
        ConnectorDefinition.Webhook hook = assertInstanceOf(
                ConnectorDefinition.Webhook.class, settings.connector("hook").orElseThrow());
        assertEquals("PUT", hook.method());
        assertEquals("soc", hook.headers().get("X-Team").value());
        assertEquals(
                "tok-123",
                ((ConnectorDefinition.HttpAuth.Bearer) hook.auth()).token().reveal());
        ConnectorDefinition.Slack slack =
                (ConnectorDefinition.Slack) settings.connector("soc-slack").orElseThrow();
        assertEquals(
                "https://hooks.slack.com/services/T1/B2/abcdef",
                slack.webhookUrl().reveal());
        ConnectorDefinition.PagerDuty pager =
                (ConnectorDefinition.PagerDuty) settings.connector("pager").orElseThrow();
        assertEquals(ConnectorDefinition.PagerDuty.EVENTS_URL, pager.eventsUrl());
        ConnectorDefinition.Email mail =
                (ConnectorDefinition.Email) settings.connector("mail").orElseThrow();
        assertEquals(587, mail.port(), "STARTTLS's submission port by default");
        assertEquals(ConnectorDefinition.SmtpSecurity.STARTTLS, mail.security());
        assertEquals("s3cret", mail.password().reveal());
        assertEquals(List.of("soc@example.com", "oncall@example.com"), mail.to());
    }

    @Test
    void aSecretWrittenInTheFileIsRefusedWithoutRepeatingIt() {
        NotifyConfigException e = assertThrows(
                NotifyConfigException.class,
                () -> loader.parse(
                        """
                connectors:
                  soc-slack:
                    type: slack
                    url: https://hooks.slack.com/services/T1/B2/leaked
                """,
                        FILE));

        assertEquals(
                List.of("connectors.yml:4:10: connectors.soc-slack.url is a secret and must not be written in"
                        + " the file: use {env: NAME} or {file: PATH}"),
                e.problems());
        assertFalse(e.getMessage().contains("leaked"));
    }

    @Test
    void everyProblemIsReportedAtOnceWithLineAndColumn() {
        NotifyConfigException e = assertThrows(
                NotifyConfigException.class,
                () -> loader.parse(
                        """
                connectors:
                  pager:
                    type: pagerduty
                    routing_key: {env: MISSING_KEY}
                  mail:
                    type: email
                    host: smtp.example.com
                    securty: tls
                    from: eqlwatch@example.com
                    to: soc@example.com
                  other:
                    type: sms
                """,
                        FILE));

        assertEquals(3, e.problems().size(), e.getMessage());
        assertEquals(
                "connectors.yml:4:18: connectors.pager.routing_key: environment variable MISSING_KEY is not set",
                e.problems().get(0));
        assertTrue(
                e.problems().get(1).startsWith("connectors.yml:8:5: unknown key 'securty' in connectors.mail"),
                e.problems().get(1));
        assertTrue(
                e.problems().get(2).startsWith("connectors.yml:12:11: connector 'other': type 'sms' is unknown"),
                e.problems().get(2));
    }

    @Test
    void aSecretPrintsWhereItCameFromNotItsValue() {
        NotifySettings settings = loader.parse("connectors:\n  s:\n    type: slack\n    url: {env: SLACK_URL}\n", FILE);
        ConnectorDefinition.Slack slack =
                (ConnectorDefinition.Slack) settings.connector("s").orElseThrow();

        assertEquals("<secret from env SLACK_URL>", slack.webhookUrl().toString());
        assertFalse(slack.toString().contains("abcdef"), slack.toString());
    }

    @Test
    void aMissingFileMeansNoConnectors() {
        assertTrue(loader.load(folder.resolve("absent.yml")).connectors().isEmpty());
    }
}
