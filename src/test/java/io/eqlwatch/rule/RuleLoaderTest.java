package io.eqlwatch.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.eql.ast.SequenceQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleLoaderTest {

    private static final Path SHIPPED = Path.of("rules/lateral_tool_transfer_smb.yml");
    private static final String MINIMAL =
            """
            rule_id: 11111111-2222-3333-4444-555555555555
            name: Test rule
            description: A rule for tests
            type: eql
            index: [logs-*]
            severity: low
            risk_score: 21
            interval: 5m
            from: now-9m
            query: |
              process where process.name == "cmd.exe"
            """;

    private final RuleLoader loader = new RuleLoader();

    @Test
    void theShippedRuleLoadsWithTheValuesTheUserAskedFor() {
        Rule rule = loader.loadFile(SHIPPED);
        assertEquals("58bc134c-e8d2-4291-a552-b4b3e537c60b", rule.ruleId());
        assertEquals("Potential Lateral Tool Transfer via SMB Share", rule.name());
        assertEquals(108, rule.version());
        assertEquals(List.of("Elastic"), rule.author());
        assertEquals("Elastic License v2", rule.license());
        assertEquals(List.of("logs-endpoint.events.file-*", "logs-endpoint.events.network-*"), rule.index());
        assertEquals(Severity.MEDIUM, rule.severity());
        assertEquals(47, rule.riskScore());
        assertEquals(Duration.ofMinutes(5), rule.interval());
        assertEquals(Duration.ofMinutes(9), rule.lookBack());
        assertEquals("now-9m", rule.from());
        assertEquals(100, rule.maxSignals());
        assertEquals(6, rule.tags().size());
        assertTrue(rule.tags().contains("Tactic: Lateral Movement"));
        assertEquals("TA0008", rule.threat().get(0).tactic().id());
        assertEquals(
                List.of("T1021", "T1570"),
                rule.threat().get(0).technique().stream()
                        .map(Threat.Technique::id)
                        .toList());
        assertEquals(
                "T1021.002",
                rule.threat().get(0).technique().get(0).subtechnique().get(0).id());
        assertTrue(rule.note().contains("False positive analysis"));
        SequenceQuery sequence =
                assertInstanceOf(SequenceQuery.class, rule.query().body());
        assertEquals(Duration.ofSeconds(30), sequence.maxspan());
        assertEquals(2, sequence.stages().size());
        assertTrue(rule.queryText().startsWith("sequence by host.id with maxspan=30s"));
    }

    @Test
    void theRuleUuidIsStableAcrossLoads() {
        assertEquals(loader.loadFile(SHIPPED).uuid(), loader.loadFile(SHIPPED).uuid());
    }

    @Test
    void aMinimalRuleGetsKibanasDefaults() {
        Rule rule = loader.parse(MINIMAL.replace("interval: 5m\nfrom: now-9m\n", ""), null);
        assertEquals(Duration.ofMinutes(5), rule.interval());
        assertEquals(Duration.ofMinutes(6), rule.lookBack());
        assertEquals(100, rule.maxSignals());
        assertTrue(rule.enabled());
    }

    @Test
    void anUnknownKeyIsReportedWithItsPositionAndAGuess() {
        RuleProblem problem = single(MINIMAL + "risk_scor: 3\n");
        assertEquals(12, problem.line());
        assertEquals(1, problem.column());
        assertEquals("unknown key 'risk_scor' (did you mean 'risk_score'?)", problem.message());
    }

    @Test
    void anUnknownKeyInsideThreatIsReported() {
        String yaml = MINIMAL
                + """
                threat:
                  - framework: MITRE ATT&CK
                    tactic: {id: TA0008, name: Lateral Movement, reference: x, url: y}
                """;
        RuleProblem problem = single(yaml);
        assertTrue(problem.message().startsWith("unknown key 'url'"), problem.message());
        assertEquals(14, problem.line());
    }

    @Test
    void aBadIntervalSaysWhatIsExpected() {
        RuleProblem problem = single(MINIMAL.replace("interval: 5m", "interval: 5 minutes"));
        assertEquals(8, problem.line());
        assertEquals(11, problem.column());
        assertTrue(problem.message().contains("expected a whole number and a unit s, m, h or d"), problem.message());
    }

    @Test
    void aBadLookBackSaysWhatIsExpected() {
        RuleProblem problem = single(MINIMAL.replace("from: now-9m", "from: 9m"));
        assertEquals(9, problem.line());
        assertTrue(problem.message().contains("must look like now-9m"), problem.message());
    }

    @Test
    void aLookBackShorterThanTheIntervalWouldLeaveHolesAndIsRefused() {
        RuleProblem problem = single(MINIMAL.replace("from: now-9m", "from: now-1m"));
        assertTrue(problem.message().contains("shorter than the interval"), problem.message());
    }

    @Test
    void aMissingFieldIsNamed() {
        RuleProblem problem = single(MINIMAL.replace("severity: low\n", ""));
        assertEquals("missing required key 'severity'", problem.message());
    }

    @Test
    void outOfRangeRiskScoreIsRefused() {
        RuleProblem problem = single(MINIMAL.replace("risk_score: 21", "risk_score: 470"));
        assertEquals(7, problem.line());
        assertTrue(problem.message().contains("from 0 to 100"), problem.message());
    }

    @Test
    void anEqlSyntaxErrorPointsIntoTheYamlFile() {
        String yaml = MINIMAL.replace(
                "process where process.name == \"cmd.exe\"",
                "sequence by host.id\n  [process where true]\n  [file where file.name ==]");
        RuleProblem problem = single(yaml);
        assertTrue(problem.message().startsWith("EQL: "), problem.message());
        // The query block's text starts on line 11; its third line is file line 13, where "]" follows "==".
        assertEquals(13, problem.line());
        assertEquals(27, problem.column());
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        String yaml = MINIMAL.replace("severity: low", "severity: urgent").replace("interval: 5m", "interval: often")
                + "colour: red\n";
        RuleLoadException e = assertThrows(RuleLoadException.class, () -> loader.parse(yaml, Path.of("x.yml")));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("x.yml:"), e.getMessage());
    }

    @Test
    void invalidYamlIsReportedWithItsPosition() {
        RuleProblem problem = single("rule_id: [unclosed\nname: x\n");
        assertTrue(problem.message().startsWith("invalid YAML"), problem.message());
        assertTrue(problem.line() > 0);
    }

    @Test
    void aFolderLoadsGoodRulesAndReportsBadOnesAndDuplicates(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("a.yml"), MINIMAL);
        Files.writeString(folder.resolve("b.yml"), MINIMAL);
        Files.writeString(
                folder.resolve("c.yml"), MINIMAL.replace("11111111", "99999999").replace("type: eql", "type: query"));
        Files.writeString(folder.resolve("notes.txt"), "not a rule");
        RuleSet set = loader.load(folder);
        assertEquals(1, set.rules().size());
        assertEquals(2, set.problems().size(), set.problems().toString());
        assertTrue(set.problems().get(0).message().contains("already used by"));
        assertTrue(set.problems().get(1).message().contains("type 'query' is not supported"));
    }

    private RuleProblem single(String yaml) {
        RuleLoadException e = assertThrows(RuleLoadException.class, () -> loader.parse(yaml, Path.of("rule.yml")));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }
}
