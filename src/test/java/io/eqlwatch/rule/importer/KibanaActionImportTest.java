package io.eqlwatch.rule.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.notify.ConnectorDefinition;
import io.eqlwatch.notify.ConnectorsFile;
import io.eqlwatch.notify.NotifySettings;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleAction;
import io.eqlwatch.rule.RuleLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KibanaActionImportTest {

    private static final String RULE =
            """
            {"id":"3c1b","rule_id":"r-smb","name":"SMB transfer","description":"d","type":"eql","language":"eql",\
            "index":["logs-endpoint.events.*"],"query":"file where true","severity":"high","risk_score":73,\
            "interval":"5m","from":"now-9m","throttle":null,"actions":[\
            {"group":"default","id":"c-slack","action_type_id":".slack","params":{"message":"{{context.rule.name}}: \
            {{state.signals_count}} alerts"},"frequency":{"summary":true,"notifyWhen":"onActiveAlert","throttle":null}},\
            {"group":"default","id":"c-mail","action_type_id":".email","params":{"to":["soc@example.com"],\
            "cc":["lead@example.com"],"subject":"Alert: {{context.rule.name}}","message":"See Kibana"},\
            "frequency":{"summary":true,"notifyWhen":"onThrottleInterval","throttle":"1h"}},\
            {"group":"default","id":"c-hook","action_type_id":".webhook","params":{"body":"{\\"r\\": \\"{{rule.name}}\\"}"},\
            "frequency":{"summary":false,"notifyWhen":"onThrottleInterval","throttle":"30m"}},\
            {"group":"default","id":"c-jira","action_type_id":".jira","params":{},"frequency":{"summary":true,\
            "notifyWhen":"onActiveAlert","throttle":null}}]}""";

    private static final List<String> CONNECTORS = List.of(
            "{\"id\":\"c-slack\",\"type\":\"action\",\"attributes\":{\"actionTypeId\":\".slack\",\"name\":\"SOC Slack\","
                    + "\"config\":{},\"isMissingSecrets\":true}}",
            "{\"id\":\"c-mail\",\"type\":\"action\",\"attributes\":{\"actionTypeId\":\".email\",\"name\":\"SOC mail\","
                    + "\"config\":{\"from\":\"kibana@example.com\",\"host\":\"smtp.example.com\",\"port\":465,"
                    + "\"secure\":true,\"hasAuth\":true,\"service\":\"other\"},\"isMissingSecrets\":true}}",
            "{\"id\":\"c-hook\",\"type\":\"action\",\"attributes\":{\"actionTypeId\":\".webhook\",\"name\":\"Tickets\","
                    + "\"config\":{\"url\":\"https://tickets.example.com/in\",\"method\":\"put\",\"headers\":"
                    + "{\"X-Team\":\"soc\"},\"hasAuth\":true,\"authType\":\"webhook-authentication-basic\"}}}",
            "{\"id\":\"c-jira\",\"type\":\"action\",\"attributes\":{\"actionTypeId\":\".jira\",\"name\":\"Jira\","
                    + "\"config\":{}}}",
            "{\"exported_count\":5,\"missing_rules\":[]}");

    @TempDir
    Path folder;

    @Test
    void aKibanaExportsActionsAndConnectorsBecomeActionsAndAConnectorsFile() throws IOException {
        Path export = folder.resolve("export.ndjson");
        Files.writeString(export, RULE + "\n" + String.join("\n", CONNECTORS) + "\n");

        ImportReport report = new RuleImporter().importAll(List.of(export), folder.resolve("rules"));

        assertEquals(List.of(), report.problems(), "the rule with its actions validates");
        assertTrue(report.skipped().isEmpty(), "connectors are not reported as skipped rules: " + report.skipped());
        assertTrue(
                !report.dropped().containsKey("actions") && !report.dropped().containsKey("throttle"),
                report.dropped().toString());
        Rule rule = new RuleLoader().loadFile(report.written().get(0).file());
        assertEquals(
                List.of(
                        new RuleAction(
                                "soc-slack",
                                RuleAction.Frequency.SUMMARY,
                                null,
                                null,
                                Map.of("message", "{{context.rule.name}}: {{state.signals_count}} alerts")),
                        new RuleAction(
                                "soc-mail",
                                RuleAction.Frequency.SUMMARY,
                                Duration.ofHours(1),
                                null,
                                Map.of("subject", "Alert: {{context.rule.name}}", "message", "See Kibana")),
                        new RuleAction(
                                "tickets",
                                RuleAction.Frequency.PER_ALERT,
                                null,
                                Duration.ofMinutes(30),
                                Map.of("body", "{\"r\": \"{{rule.name}}\"}"))),
                rule.actions());

        KibanaActionImport.Result notifications = report.notifications();
        assertEquals(
                List.of(
                        "EQLWATCH_SOC_SLACK_URL: the Slack incoming webhook URL of connector 'SOC Slack'",
                        "EQLWATCH_SOC_MAIL_USER and EQLWATCH_SOC_MAIL_PASSWORD: the SMTP login of connector 'SOC mail'",
                        "EQLWATCH_TICKETS_USER and EQLWATCH_TICKETS_PASSWORD: the basic-auth user and password of connector"
                                + " 'Tickets'"),
                notifications.missingSecrets());
        assertTrue(
                notifications
                        .unmapped()
                        .contains("connector 'Jira' of type .jira: eqlwatch sends to .webhook,"
                                + " .slack, .teams, .pagerduty and .email connectors only"),
                notifications.unmapped().toString());

        // With the secrets the user was told to set, the connectors file loads as written.
        Map<String, String> env = Map.of(
                "EQLWATCH_SOC_SLACK_URL",
                "https://hooks.slack.com/services/T/B/x",
                "EQLWATCH_SOC_MAIL_USER",
                "kibana",
                "EQLWATCH_SOC_MAIL_PASSWORD",
                "pw",
                "EQLWATCH_TICKETS_USER",
                "svc",
                "EQLWATCH_TICKETS_PASSWORD",
                "pw2");
        NotifySettings settings =
                new ConnectorsFile(env::get).parse(notifications.connectorsYaml(), Path.of("connectors.yml"));
        ConnectorDefinition.Email mail =
                (ConnectorDefinition.Email) settings.connector("soc-mail").orElseThrow();
        assertEquals(ConnectorDefinition.SmtpSecurity.TLS, mail.security());
        assertEquals(465, mail.port());
        assertEquals(List.of("soc@example.com", "lead@example.com"), mail.to());
        assertEquals("kibana", mail.username());
        ConnectorDefinition.Webhook hook =
                (ConnectorDefinition.Webhook) settings.connector("tickets").orElseThrow();
        assertEquals("PUT", hook.method());
        assertEquals("soc", hook.headers().get("X-Team").value());
        assertEquals("svc", ((ConnectorDefinition.HttpAuth.Basic) hook.auth()).username());
    }

    @Test
    void aSavedObjectRuleNamesItsConnectorsThroughReferences() throws IOException {
        Path export = folder.resolve("saved.ndjson");
        Files.writeString(
                export,
                """
                {"id":"so-1","type":"alert","attributes":{"name":"SMB","alertTypeId":"siem.eqlRule","tags":[],\
                "schedule":{"interval":"5m"},"params":{"ruleId":"r-so","description":"d","type":"eql","language":"eql",\
                "index":["logs-*"],"query":"file where true","severity":"low","riskScore":21,"from":"now-6m"},\
                "actions":[{"group":"default","actionRef":"action_0","actionTypeId":".pagerduty",\
                "params":{"summary":"{{context.rule.name}}","severity":"critical"},\
                "frequency":{"summary":false,"notifyWhen":"onActiveAlert","throttle":null}}]},\
                "references":[{"name":"action_0","type":"action","id":"c-pd"}]}
                {"id":"c-pd","type":"action","attributes":{"actionTypeId":".pagerduty","name":"On call","config":{}}}
                """);

        ImportReport report = new RuleImporter().importAll(List.of(export), folder.resolve("rules"));

        assertEquals(List.of(), report.problems());
        Rule rule = new RuleLoader().loadFile(report.written().get(0).file());
        assertEquals(
                List.of(new RuleAction(
                        "on-call",
                        RuleAction.Frequency.PER_ALERT,
                        null,
                        null,
                        Map.of("summary", "{{context.rule.name}}"))),
                rule.actions());
        assertTrue(
                report.notifications().connectorsYaml().contains("routing_key: {env: EQLWATCH_ON_CALL_ROUTING_KEY}"));
        assertTrue(
                report.notifications().unmapped().stream().anyMatch(line -> line.contains("PagerDuty severity")),
                report.notifications().unmapped().toString());
    }
}
