package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rules folder as it looks after a careless afternoon: five kinds of broken file and an imported copy of the
 * SMB rule under the same rule_id beside the good SMB rule. Every command still runs the good rule (so the
 * attack is alerted, once), and says which files it skipped, where and why.
 */
class BrokenRuleFilesIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path folder;

    @Test
    void brokenFilesAreReportedAndSkippedAndTheAttackIsStillAlerted() throws IOException {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        String shipped = Files.readString(fixture.rules.resolve("lateral_tool_transfer_smb.yml"));
        write(fixture, "a_invalid_yaml.yml", "rule_id: [unclosed\nname: x\n");
        write(
                fixture,
                "b_eql_typo.yml",
                shipped.replace("58bc134c-e8d2-4291-a552-b4b3e537c60b", "rule-b")
                        .replace("sequence by host.id", "sequnce by host.id"));
        write(
                fixture,
                "c_bad_value.yml",
                shipped.replace("58bc134c-e8d2-4291-a552-b4b3e537c60b", "rule-c")
                        .replace("severity: medium", "severity: urgent"));
        write(
                fixture,
                "d_missing_key.yml",
                shipped.replace("58bc134c-e8d2-4291-a552-b4b3e537c60b", "rule-d")
                        .replaceAll("(?m)^risk_score: .*\n", ""));
        write(fixture, "e_not_a_mapping.yml", "- just\n- a list\n");
        // What `import ... --to rules/` of Elastic's own SMB rule produces: the same rule_id in a file that
        // sorts first.
        write(
                fixture,
                "imported_lateral_movement_smb.yml",
                shipped.replace(
                        "name: Potential Lateral Tool Transfer via SMB Share", "name: Imported copy of the SMB rule"));
        fixture.indexScenarios(List.of(new DefendEventGenerator(21).attack(NOW.minus(Duration.ofMinutes(3)))));

        CommandRun run = fixture.once(NOW.toString());

        assertEquals(1, run.exitCode, "a skipped file makes once exit 1 (a rule did not run): " + run);
        assertEquals(1, run.count("alerts written"), run.toString());
        assertEquals(1, fixture.shellAlerts().size(), "the duplicate rule_id runs once, not twice");
        for (String expected : List.of(
                "a_invalid_yaml.yml:2:5: invalid YAML",
                "b_eql_typo.yml:",
                "c_bad_value.yml:",
                "d_missing_key.yml: missing required key 'risk_score'",
                "e_not_a_mapping.yml:1:1:")) {
            assertTrue(run.err.contains(expected), "'" + expected + "' in:\n" + run.err);
        }
        assertTrue(
                Pattern.compile("b_eql_typo\\.yml:\\d+:\\d+: EQL")
                        .matcher(run.err)
                        .find(),
                run.err);
        assertTrue(
                Pattern.compile("c_bad_value\\.yml:\\d+:\\d+: severity 'urgent'")
                        .matcher(run.err)
                        .find(),
                run.err);
        assertTrue(
                Pattern.compile(
                                "lateral_tool_transfer_smb\\.yml:\\d+:\\d+: rule_id 58bc134c-e8d2-4291-a552-b4b3e537c60b"
                                        + " is already used by .*imported_lateral_movement_smb\\.yml")
                        .matcher(run.err)
                        .find(),
                run.err);

        CommandRun status = CommandRun.of(
                "status",
                "--es-url",
                ES.url(),
                "--rules",
                fixture.rules.toString(),
                "--state-index",
                fixture.stateIndex);
        assertEquals(0, status.exitCode, status.toString());
        assertTrue(status.out.contains("not running (rule file skipped): "), status.out);
        assertTrue(status.out.contains("Imported copy of the SMB rule [58bc134c"), status.out);

        CommandRun backfill = CommandRun.of(
                "backfill",
                "--es-url",
                ES.url(),
                "--rules",
                fixture.rules.toString(),
                "--alerts-index",
                fixture.alertsIndex,
                "--state-index",
                fixture.stateIndex,
                "--rule",
                "58bc134c-e8d2-4291-a552-b4b3e537c60b",
                "--from",
                NOW.minus(Duration.ofMinutes(10)).toString(),
                "--to",
                NOW.toString());
        assertEquals(0, backfill.exitCode, backfill.toString());
        assertTrue(backfill.out.contains("duplicates skipped 1"), backfill.out);
    }

    private static void write(SmbRuleFixture fixture, String name, String text) throws IOException {
        Files.writeString(fixture.rules.resolve(name), text);
    }
}
