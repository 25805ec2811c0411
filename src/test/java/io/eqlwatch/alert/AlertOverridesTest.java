package io.eqlwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.engine.Match;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** risk_score_mapping, severity_mapping and rule_name_override on the alerts they change. */
class AlertOverridesTest {

    private static final Instant AT = Instant.parse("2026-11-28T11:55:00Z");

    private static Rule rule(String query) {
        return new RuleLoader()
                .parse(
                        """
                rule_id: r1
                name: SMB connection
                description: d
                type: eql
                index: [logs-*]
                severity: low
                risk_score: 21
                query: '%s'
                risk_score_mapping:
                  - {field: process.pid, operator: equals, value: ""}
                severity_mapping:
                  - {field: host.name, operator: equals, value: dc01, severity: high}
                  - {field: host.name, operator: equals, value: dc01, severity: critical}
                  - {field: host.name, operator: equals, value: ws01, severity: medium}
                rule_name_override: host.name
                """
                                .formatted(query),
                        null);
    }

    @Test
    void anEventQueryAlertTakesItsScoreSeverityAndNameFromTheEvent() {
        Rule rule = rule("network where true");
        JsonNode alert = new AlertBuilder(rule)
                .build(new Match(List.of(AlertFixtures.networkEvent("n1", "h1", "dc01", AT)), List.of()), "x", AT)
                .primary()
                .source();
        assertEquals(4, alert.path("kibana.alert.risk_score").asInt(), "process.pid is 4");
        assertEquals("critical", alert.path("kibana.alert.severity").asText(), "the highest matching mapping");
        assertEquals("dc01", alert.path("kibana.alert.rule.name").asText());
    }

    @Test
    void aSequenceShellTakesThemFromTheFieldsItsEventsShare() {
        Rule rule = rule("sequence by host.id [network where true] [file where true]");
        AlertGroup group = new AlertBuilder(rule).build(AlertFixtures.smbMatch("s", "h1", "ws01", AT), "x", AT);
        JsonNode shell = group.primary().source();
        assertEquals("medium", shell.path("kibana.alert.severity").asText());
        assertEquals("ws01", shell.path("kibana.alert.rule.name").asText());
        assertEquals(4, shell.path("kibana.alert.risk_score").asInt());
        JsonNode block = group.documents().get(0).source();
        assertEquals("low", block.path("kibana.alert.severity").asText(), "building blocks keep the rule's");
    }

    @Test
    void withoutAMatchingValueTheRulesOwnApply() {
        Rule rule = rule("network where true");
        JsonNode alert = new AlertBuilder(rule)
                .build(new Match(List.of(AlertFixtures.networkEvent("n1", "h1", "srv9", AT)), List.of()), "x", AT)
                .primary()
                .source();
        assertEquals("low", alert.path("kibana.alert.severity").asText());
        assertEquals("srv9", alert.path("kibana.alert.rule.name").asText());
    }
}
