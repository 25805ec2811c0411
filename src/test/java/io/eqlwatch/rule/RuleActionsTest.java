package io.eqlwatch.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleActionsTest {

    private static Rule parse(String actions) throws IOException {
        String text = Files.readString(Path.of("rules/lateral_tool_transfer_smb.yml"));
        return new RuleLoader().parse(text + "\n" + actions, Path.of("rules/smb.yml"));
    }

    @Test
    void actionsNameConnectorsWithAFrequencyAThrottleAndTemplates() throws IOException {
        Rule rule = parse(
                """
                actions:
                  - connector: soc-slack
                  - connector: mail
                    frequency: summary
                    interval: 1h
                  - connector: pager
                    throttle: 30m
                    summary: '{{rule.name}} on {{alert.host.name}}'
                """);

        assertEquals(
                List.of(
                        new RuleAction("soc-slack", RuleAction.Frequency.PER_ALERT, null, null, Map.of()),
                        new RuleAction("mail", RuleAction.Frequency.SUMMARY, Duration.ofHours(1), null, Map.of()),
                        new RuleAction(
                                "pager",
                                RuleAction.Frequency.PER_ALERT,
                                null,
                                Duration.ofMinutes(30),
                                Map.of("summary", "{{rule.name}} on {{alert.host.name}}"))),
                rule.actions());
        assertEquals("mail/summary/1h", rule.actions().get(1).key());
    }

    @Test
    void aRuleWithoutActionsHasNone() throws IOException {
        assertEquals(List.of(), parse("").actions());
    }

    @Test
    void badActionsAreReportedWithLineAndColumn() {
        RuleLoadException e = assertThrows(
                RuleLoadException.class,
                () -> parse(
                        """
                actions:
                  - connector: slack
                    frequency: hourly
                  - connector: mail
                    interval: 1h
                  - connecter: pager
                """));

        List<String> messages = e.problems().stream().map(RuleProblem::toString).toList();
        assertEquals(4, messages.size(), messages.toString());
        assertTrue(messages.get(0).contains("frequency 'hourly' must be per_alert or summary"), messages.toString());
        assertTrue(
                messages.get(1).contains("interval makes a digest and needs frequency: summary"), messages.toString());
        assertTrue(
                messages.stream().anyMatch(m -> m.contains("unknown key 'connecter' (did you mean 'connector'?)")),
                messages.toString());
        assertTrue(
                messages.stream().anyMatch(m -> m.contains("an action needs the name of a connector")),
                messages.toString());
    }
}
