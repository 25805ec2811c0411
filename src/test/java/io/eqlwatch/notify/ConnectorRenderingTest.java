package io.eqlwatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.rule.Rule;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What each connector would put on the wire for the SMB rule's alerts (the `preview` view, too). */
class ConnectorRenderingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI KIBANA = URI.create("https://kibana.example.com/");

    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final MessageTemplates templates = new MessageTemplates();

    private List<OutboxEntry> staged(String actions, int alerts, String space) {
        Rule rule = NotifyFixtures.smbRule(actions);
        OutboxStager stager = new OutboxStager(
                outbox, ids -> Set.of(), "eqlwatch-alerts-default", space, new MutableClock(NotifyFixtures.NOW));
        List<AlertGroup> groups = new java.util.ArrayList<>();
        for (int i = 0; i < alerts; i++) {
            groups.add(NotifyFixtures.transfer(rule, "t" + i, "SRV-FILE0" + i, NotifyFixtures.NOW.plusSeconds(i)));
        }
        stager.stage(rule, "exec-1", groups);
        return outbox.open(100);
    }

    private static MessageModel model(List<OutboxEntry> entries) {
        return MessageModel.of(entries, KIBANA, NotifyFixtures.NOW);
    }

    private Connector connector(ConnectorDefinition definition) {
        return Connectors.create(definition, templates, DeliveryPolicy.DEFAULT);
    }

    @Test
    void theAlertModelCarriesTheReasonWhoWhereTheEventsAndTheKibanaLink() {
        OutboxEntry entry = staged("actions:\n  - connector: s\n", 1, "soc").get(0);
        Map<String, Object> model = model(List.of(entry)).model();

        @SuppressWarnings("unchecked")
        Map<String, Object> alert = (Map<String, Object>) model.get("alert");
        assertEquals("SRV-FILE00", ((Map<?, ?>) alert.get("host")).get("name"));
        assertEquals(
                "SYSTEM", ((Map<?, ?>) ((Map<?, ?>) ((List<?>) alert.get("events")).get(1)).get("user")).get("name"));
        assertEquals(2, ((List<?>) alert.get("events")).size());
        assertTrue(((String) alert.get("reason")).contains("Potential Lateral Tool Transfer via SMB Share"));
        assertEquals(
                "https://kibana.example.com/s/soc/app/security/alerts/redirect/" + entry.alertId()
                        + "?index=eqlwatch-alerts-default&timestamp=2026-11-28T12%3A01%3A00.000Z",
                alert.get("url"));
        assertEquals(alert.get("url"), ((Map<?, ?>) ((Map<?, ?>) model.get("kibana")).get("alert")).get("url"));
        assertEquals("medium", ((Map<?, ?>) model.get("rule")).get("severity"));
        assertEquals(1, ((Map<?, ?>) model.get("state")).get("signals_count"), "Kibana's name for the count");
    }

    @Test
    void slackGetsBlockKitWithAHeaderTheTextAndAButton() throws Exception {
        Connector slack =
                connector(new ConnectorDefinition.Slack("s", Secret.of("https://hooks.slack.com/x/y/z", "env S")));
        RenderedMessage message = slack.render(model(staged("actions:\n  - connector: s\n", 1, "default")));

        JsonNode body = JSON.readTree((String) message.payload());
        assertEquals(
                "Potential Lateral Tool Transfer via SMB Share",
                body.at("/blocks/0/text/text").asText());
        String text = body.at("/blocks/1/text/text").asText();
        assertTrue(text.contains("Host: SRV-FILE00"), text);
        assertTrue(text.contains("File: C:\\Windows\\Temp\\tool-t0.exe"), text);
        assertTrue(
                text.contains("- 2026-11-28T12:00:05.000Z file creation by System C:\\Windows\\Temp\\tool-t0.exe"),
                text);
        assertTrue(body.at("/blocks/2/elements/0/url").asText().startsWith("https://kibana.example.com/app/security"));
        assertFalse(message.preview().contains("hooks.slack.com"), "the webhook URL is a secret: " + message.preview());
    }

    @Test
    void aSlackMessageTemplateFromTheActionReplacesTheText() throws Exception {
        Connector slack =
                connector(new ConnectorDefinition.Slack("s", Secret.of("https://hooks.slack.com/x", "env S")));
        RenderedMessage message = slack.render(model(staged(
                "actions:\n  - connector: s\n    message: 'SMB on {{alert.host.name}} <{{kibana.alert.url}}>'\n",
                1,
                "default")));

        assertTrue(JSON.readTree((String) message.payload())
                .at("/blocks/1/text/text")
                .asText()
                .startsWith("SMB on SRV-FILE00 &lt;https://kibana.example.com/"));
    }

    @Test
    void pagerDutyDedupsOnTheAlertIdAndKeepsTheRoutingKeyOutOfThePreview() throws Exception {
        Connector pager = connector(new ConnectorDefinition.PagerDuty(
                "p", Secret.of("ROUTINGKEY42", "env PD"), ConnectorDefinition.PagerDuty.EVENTS_URL));
        List<OutboxEntry> entries = staged("actions:\n  - connector: p\n", 1, "default");
        RenderedMessage message = pager.render(model(entries));

        JsonNode body = JSON.readTree((String) message.payload());
        assertEquals(entries.get(0).alertId(), body.path("dedup_key").asText());
        assertEquals("ROUTINGKEY42", body.path("routing_key").asText());
        assertEquals("warning", body.at("/payload/severity").asText());
        assertEquals("SRV-FILE00", body.at("/payload/source").asText());
        assertFalse(message.preview().contains("ROUTINGKEY42"), message.preview());
    }

    @Test
    void aWebhookBodyTemplateStaysValidJsonWhateverTheValues() throws Exception {
        Connector hook = connector(new ConnectorDefinition.Webhook(
                "h",
                "POST",
                SettingValue.literal("https://receiver.example.com"),
                Map.of(),
                "{\"title\": \"{{rule.name}}\", \"file\": \"{{alert.file.path}}\", \"reason\": \"{{alert.reason}}\"}",
                null));
        RenderedMessage message = hook.render(model(staged("actions:\n  - connector: h\n", 1, "default")));

        JsonNode body = JSON.readTree((String) message.payload());
        assertEquals("C:\\Windows\\Temp\\tool-t0.exe", body.path("file").asText());
    }

    @Test
    void aSummaryListsEveryAlertOnce() throws Exception {
        Connector hook = connector(new ConnectorDefinition.Webhook(
                "h", "POST", SettingValue.literal("https://receiver.example.com"), Map.of(), null, null));
        RenderedMessage message =
                hook.render(model(staged("actions:\n  - connector: h\n    frequency: summary\n", 3, "default")));

        JsonNode body = JSON.readTree((String) message.payload());
        assertEquals(3, body.path("alerts_count").asInt());
        assertEquals(3, body.path("alerts").size());
    }

    @Test
    void anEmailHasASubjectATextAndAnEscapedHtmlPart() {
        Connector mail = connector(new ConnectorDefinition.Email(
                "m",
                "smtp.example.com",
                587,
                ConnectorDefinition.SmtpSecurity.STARTTLS,
                null,
                null,
                "eqlwatch@example.com",
                List.of("soc@example.com"),
                List.of()));
        RenderedMessage message = mail.render(model(staged("actions:\n  - connector: m\n", 1, "default")));

        RenderedMessage.EmailParts parts = (RenderedMessage.EmailParts) message.payload();
        assertEquals("[eqlwatch] medium: Potential Lateral Tool Transfer via SMB Share on SRV-FILE00", parts.subject());
        assertTrue(parts.text().contains("Open in Kibana: https://kibana.example.com/app/security/alerts/redirect/"));
        assertTrue(parts.html().contains("<a href=\"https://kibana.example.com/app/security/alerts/redirect/"));
        assertTrue(message.preview().contains("To: soc@example.com"));
    }

    @Test
    void teamsGetsAnAdaptiveCard() throws Exception {
        Connector teams = connector(new ConnectorDefinition.Teams(
                "t", Secret.of("https://example.webhook.office.com/x", "file /run/secrets/teams")));
        RenderedMessage message = teams.render(model(staged("actions:\n  - connector: t\n", 1, "default")));

        JsonNode card = JSON.readTree((String) message.payload()).at("/attachments/0/content");
        assertEquals("AdaptiveCard", card.path("type").asText());
        assertEquals("Action.OpenUrl", card.at("/actions/0/type").asText());
    }

    @Test
    void stagingIsDeterministicAndSkipsAlertsAlreadyWritten() {
        Rule rule = NotifyFixtures.smbRule("actions:\n  - connector: a\n  - connector: b\n    frequency: summary\n");
        AlertGroup group = NotifyFixtures.transfer(rule, "d", "SRV-D", NotifyFixtures.NOW);
        OutboxStager fresh =
                new OutboxStager(outbox, ids -> Set.of(), "i", "default", new MutableClock(NotifyFixtures.NOW));
        OutboxStager written =
                new OutboxStager(outbox, ids -> Set.copyOf(ids), "i", "default", new MutableClock(NotifyFixtures.NOW));

        assertEquals(2, fresh.stage(rule, "e1", List.of(group, group)));
        assertEquals(2, fresh.stage(rule, "e2", List.of(group)));
        assertEquals(0, written.stage(rule, "e3", List.of(group)));
        assertEquals(2, outbox.all().size(), "one per action, however often staged");
        assertEquals("e1", outbox.all().get(0).executionId(), "the first staging stands");
        assertEquals(
                0,
                new OutboxStager(outbox, ids -> Set.of(), "i", "default", new MutableClock(NotifyFixtures.NOW))
                        .stage(NotifyFixtures.smbRule(""), "e4", List.of(group)),
                "a rule without actions stages nothing");
    }
}
