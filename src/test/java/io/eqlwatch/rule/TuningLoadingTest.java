package io.eqlwatch.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.tuning.ExceptionEntry;
import io.eqlwatch.tuning.ValueListType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuning keys of a rule file and the tuning files next to it, as validate checks them. */
class TuningLoadingTest {

    private static final String RULE =
            """
            rule_id: r1
            name: SMB
            description: d
            type: eql
            index: [logs-*]
            severity: low
            risk_score: 21
            query: |
              sequence by host.id with maxspan=30s [network where true] [file where true]
            """;

    @TempDir
    Path rules;

    private void write(String relative, String text) throws IOException {
        Path file = rules.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private RuleSet load() {
        return new RuleLoader().load(rules);
    }

    private static List<String> messages(RuleSet set) {
        return set.problems().stream().map(RuleProblem::toString).toList();
    }

    @Test
    void aRuleWithEveryTuningKeyLoads() throws IOException {
        write("lists/ip_range/nets.txt", "10.0.0.0/8\n192.168.1.1-192.168.1.9\n");
        write(
                "exceptions/shared.yml",
                """
                list_id: shared
                name: Shared
                items:
                  - name: SCCM
                    entries:
                      - {field: process.name, operator: included, type: match, value: ccmexec.exe}
                """);
        write(
                "smb.yml",
                RULE
                        + """
                exceptions:
                  - name: Internal networks
                    expire_time: 2027-01-01T00:00:00Z
                    os_types: [windows]
                    comments: [ticket 12]
                    entries:
                      - {field: source.ip, type: list, list: {id: nets, type: ip_range}}
                      - {field: user.name, operator: excluded, type: exists}
                exceptions_list:
                  - {list_id: shared, type: detection, namespace_type: single}
                filters:
                  - meta: {negate: true, disabled: false}
                    query: {term: {host.name: lab-01}}
                alert_suppression:
                  group_by: [host.id]
                  duration: 30m
                building_block_type: default
                setup: Install Elastic Defend.
                related_integrations: [{package: endpoint, version: ^8.2.0}]
                """);

        RuleSet set = load();

        assertEquals(List.of(), messages(set));
        RuleTuning tuning = set.rules().get(0).tuning();
        assertEquals(
                List.of("Internal networks", "SCCM"),
                tuning.exceptions().stream().map(i -> i.name()).toList());
        assertEquals(
                Instant.parse("2027-01-01T00:00:00Z"),
                tuning.exceptions().get(0).expireTime());
        ExceptionEntry.InList list =
                (ExceptionEntry.InList) tuning.exceptions().get(0).entries().get(0);
        assertEquals(ValueListType.IP_RANGE, list.list().type());
        assertEquals(new AlertSuppression(List.of("host.id"), Duration.ofMinutes(30), true), tuning.suppression());
        assertEquals("default", tuning.buildingBlockType());
        assertEquals(1, tuning.filters().size());
        assertEquals(
                "Install Elastic Defend.", tuning.parameters().path("setup").asText());
        assertEquals(
                "endpoint",
                tuning.parameters()
                        .path("related_integrations")
                        .get(0)
                        .path("package")
                        .asText());
    }

    @Test
    void everyProblemIsReportedWithFileLineAndColumn() throws IOException {
        write("lists/ip/servers.txt", "10.0.0.1\n10.0.0\n");
        write(
                "smb.yml",
                RULE
                        + """
                exceptions:
                  - name: Bad
                    entries:
                      - {field: source.ip, type: lisst}
                      - field: host.name
                        type: match
                        operator: sometimes
                        value: x
                  - name: Unknown list
                    expire_time: next week
                    entries:
                      - {field: source.ip, type: list, list: {id: nowhere, type: ip}}
                exceptions_list:
                  - {list_id: missing}
                alert_suppression:
                  group_by: [a, b, c, d, e, f]
                building_block_type: custom
                """);

        List<String> messages = messages(load());

        Path smb = rules.resolve("smb.yml");
        assertTrue(
                messages.contains(rules.resolve("lists/ip/servers.txt") + ":2:1: '10.0.0' is not an IP address"),
                messages.toString());
        assertTrue(
                messages.contains(
                        smb + ":13:34: entry type 'lisst' must be match, match_any, exists, wildcard, list or nested"),
                messages.toString());
        assertTrue(
                messages.contains(smb + ":16:19: operator 'sometimes' must be included or excluded"),
                messages.toString());
        assertTrue(
                messages.contains(smb + ":19:18: expire_time 'next week' must be an ISO-8601 instant such as"
                        + " 2026-12-31T00:00:00Z"),
                messages.toString());
        assertTrue(
                messages.stream()
                        .anyMatch(m ->
                                m.startsWith(smb + ":21:51: no value list 'nowhere' (a file lists/ip/nowhere.txt")),
                messages.toString());
        assertTrue(
                messages.stream().anyMatch(m -> m.startsWith(smb + ":23:15: no shared exception list 'missing'")),
                messages.toString());
        assertTrue(
                messages.contains(smb + ":25:13: alert_suppression.group_by must list 1 to 5 fields"),
                messages.toString());
        assertTrue(
                messages.contains(smb + ":26:22: building_block_type 'custom' must be default"), messages.toString());
    }

    @Test
    void aRuleWithoutTuningHasNone() throws IOException {
        write("smb.yml", RULE);
        RuleTuning tuning = load().rules().get(0).tuning();
        assertEquals(List.of(), tuning.exceptions());
        assertNull(tuning.suppression());
        assertNull(tuning.buildingBlockType());
    }

    @Test
    void tuningFilesAreNotTakenForRules() throws IOException {
        write("exceptions/shared.yml", "list_id: shared\nname: Shared\nitems: []\n");
        write("smb.yml", RULE);
        RuleSet set = load();
        assertEquals(List.of(), messages(set));
        assertEquals(1, set.rules().size());
    }
}
