package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A pattern that matches nothing is logged when it starts to, not at every run nor for every rule while it lasts. */
class StandingWarningsTest {

    private final StandingWarnings standing = new StandingWarnings();

    @Test
    void aConditionIsReportedAtItsFirstRunOnly() {
        assertEquals(
                List.of("winlogbeat-*", "logs-sysmon-*"),
                standing.started("r", List.of("winlogbeat-*", "logs-sysmon-*")));
        assertEquals(List.of(), standing.started("r", List.of("winlogbeat-*", "logs-sysmon-*")));
        assertEquals(List.of(), standing.started("r", List.of("logs-sysmon-*")));
    }

    @Test
    void aConditionThatWentAwayAndCameBackIsReportedAgain() {
        standing.started("r", List.of("winlogbeat-*", "logs-sysmon-*"));
        standing.started("r", List.of("logs-sysmon-*"));
        assertEquals(List.of("winlogbeat-*"), standing.started("r", List.of("winlogbeat-*", "logs-sysmon-*")));
        standing.started("r", List.of());
        assertEquals(List.of("logs-sysmon-*"), standing.started("r", List.of("logs-sysmon-*")));
    }

    @Test
    void aConditionIsReportedOnceWhicheverRulesHaveIt() {
        assertEquals(List.of("winlogbeat-*"), standing.started("a", List.of("winlogbeat-*")));
        assertEquals(List.of("logs-sysmon-*"), standing.started("b", List.of("winlogbeat-*", "logs-sysmon-*")));
        assertEquals(List.of(), standing.started("a", List.of("winlogbeat-*")));
    }

    @Test
    void aConditionOneRuleNoLongerHasIsReportedAgainByTheNext() {
        standing.started("a", List.of("winlogbeat-*"));
        standing.started("b", List.of("winlogbeat-*"));
        standing.started("a", List.of());
        assertEquals(List.of("winlogbeat-*"), standing.started("b", List.of("winlogbeat-*")));
    }
}
