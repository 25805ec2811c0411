package io.eqlwatch.rule.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.rule.RuleSet;
import io.eqlwatch.rule.Severity;
import io.eqlwatch.rule.Threat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kibana exports: the rules API shape, the saved-object shape, and the lines that are not rules. */
class KibanaRuleExportTest {

    @TempDir
    Path target;

    private ImportReport importExport() {
        return new RuleImporter().importAll(List.of(RuleImporterTest.resource("kibana/rules_export.ndjson")), target);
    }

    private Rule load(String file) {
        RuleSet set = new RuleLoader().load(target.resolve(file));
        assertEquals(List.of(), set.problems());
        return set.rules().get(0);
    }

    @Test
    void eqlRulesOfBothShapesAreWrittenUnderTheirNames() {
        ImportReport report = importExport();

        assertEquals(List.of(), report.problems());
        assertEquals(
                List.of("encoded_powershell_from_a_browser.yml", "lsass_read_by_unsigned_process.yml"),
                report.written().stream()
                        .map(w -> w.file().getFileName().toString())
                        .toList());
    }

    @Test
    void theRulesApiShapeKeepsItsFields() {
        importExport();
        Rule rule = load("encoded_powershell_from_a_browser.yml");

        assertEquals("9a1d0c55-2f4b-4e8e-8f7a-1c2b3d4e5f01", rule.ruleId());
        assertEquals("6f1c2a9e-0d2b-4c7e-9a3e-5b9a1f0e7001", rule.uuid(), "the rule's Kibana id becomes its uuid");
        assertEquals("Encoded PowerShell From a Browser", rule.name());
        assertEquals(3, rule.version());
        assertEquals(Severity.HIGH, rule.severity());
        assertEquals(73, rule.riskScore());
        assertEquals(Duration.ofMinutes(5), rule.interval());
        assertEquals(Duration.ofSeconds(360), rule.lookBack());
        assertEquals("event.ingested", rule.timestampOverride());
        assertEquals(List.of("SOC team"), rule.author());
        assertEquals(List.of("Custom", "Tactic: Execution"), rule.tags());
        assertEquals("Check the decoded command.", rule.note());
        assertEquals(
                "process where event.type == \"start\" and process.parent.name : (\"chrome.exe\", \"msedge.exe\") and\n"
                        + "  process.name : \"powershell.exe\" and process.args : (\"-enc\", \"-EncodedCommand\")\n",
                rule.queryText());
        assertEquals(
                List.of(new Threat(
                        "MITRE ATT&CK",
                        new Threat.Tactic("TA0002", "Execution", "https://attack.mitre.org/tactics/TA0002/"),
                        List.of(new Threat.Technique(
                                "T1059",
                                "Command and Scripting Interpreter",
                                "https://attack.mitre.org/techniques/T1059/",
                                List.of(new Threat.Subtechnique(
                                        "T1059.001",
                                        "PowerShell",
                                        "https://attack.mitre.org/techniques/T1059/001/")))))),
                rule.threat());
    }

    @Test
    void theSavedObjectShapeTakesNameTagsAndScheduleFromItsAttributes() {
        importExport();
        Rule rule = load("lsass_read_by_unsigned_process.yml");

        assertEquals("9a1d0c55-2f4b-4e8e-8f7a-1c2b3d4e5f03", rule.ruleId());
        assertEquals("6f1c2a9e-0d2b-4c7e-9a3e-5b9a1f0e7003", rule.uuid());
        assertEquals("LSASS Read by Unsigned Process", rule.name());
        assertEquals(List.of("Custom", "Tactic: Credential Access"), rule.tags());
        assertEquals(Duration.ofMinutes(10), rule.interval());
        assertEquals(Duration.ofMinutes(15), rule.lookBack());
        assertEquals(50, rule.maxSignals());
        assertEquals(99, rule.riskScore());
        assertEquals(Severity.CRITICAL, rule.severity());
        assertEquals(5, rule.version());
        assertEquals(List.of("Backup agents"), rule.falsePositives());
        assertEquals(List.of("https://example.org/lsass"), rule.references());
        assertEquals("event.category", rule.eventCategoryOverride());
        assertEquals("event.sequence", rule.tiebreakerField());
        assertEquals("event.ingested", rule.timestampOverride());
        assertTrue(rule.enabled(), "the export's enabled: false is the export's doing, not the rule's");
        assertEquals(
                "api where process.Ext.api.name == \"OpenProcess\" and ?process.code_signature.trusted == false",
                rule.queryText());
    }

    @Test
    void otherRulesAndExceptionListsAreSkippedWithTheReasonAndTheCountsLineIsNoRule() {
        ImportReport report = importExport();

        assertEquals(
                List.of(
                        new ImportOutcome.Skipped(
                                "rules_export.ndjson:2", "Many Failed Logins", "type 'query' is not an EQL rule"),
                        new ImportOutcome.Skipped(
                                "rules_export.ndjson:4",
                                "Port Scan Threshold",
                                "rule type 'siem.thresholdRule' is not an EQL rule (siem.eqlRule)"),
                        new ImportOutcome.Skipped(
                                "rules_export.ndjson:5",
                                "Backup agent",
                                "an exception item without entries (it would except nothing), in list soc_allowlist")),
                report.skipped());
        assertEquals(List.of(), report.unreadable());
    }

    @Test
    void droppedFieldsAreCountedPerName() {
        ImportReport report = importExport();

        assertEquals(
                Map.ofEntries(
                        Map.entry("immutable", 2),
                        Map.entry("attributes.consumer", 1),
                        Map.entry("attributes.createdAt", 1),
                        Map.entry("attributes.createdBy", 1),
                        Map.entry("attributes.enabled", 1),
                        Map.entry("created_at", 1),
                        Map.entry("created_by", 1),
                        Map.entry("exceptions_list", 1),
                        Map.entry("meta", 1),
                        Map.entry("revision", 1),
                        Map.entry("rule_source", 1),
                        Map.entry("throttle", 1),
                        Map.entry("updated_at", 1),
                        Map.entry("updated_by", 1)),
                report.dropped());
    }

    @Test
    void aLineThatIsNotJsonIsReportedWithLineAndColumn(@TempDir Path sources) throws IOException {
        Path export = sources.resolve("export.ndjson");
        Files.writeString(export, "{\"exported_count\": 0}\n{\"rule_id\": \"x\", \"name\": oops}\n");

        ImportReport report = new RuleImporter().importAll(List.of(export), target);

        assertEquals(1, report.unreadable().size());
        assertEquals("export.ndjson:2:30", report.unreadable().get(0).source());
        assertTrue(
                report.unreadable().get(0).reason().startsWith("invalid JSON: Unrecognized token 'oops'"),
                report.unreadable().get(0).reason());
    }

    @Test
    void slugsAreFileNamesFromRuleNames() {
        assertEquals("lsass_read_by_unsigned_process", KibanaRuleExport.slug("LSASS Read by Unsigned Process!", "id"));
        assertEquals("abc-1", KibanaRuleExport.slug("  ", "abc-1"));
        assertEquals("risk_score_mapping", KibanaRuleExport.snakeCase("riskScoreMapping"));
    }
}
