package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 item 2: a typo in a field name ({@code process.pdi}) validates offline, but against the cluster's
 * mappings it is an unknown column, reported at its file, line and column, and a run of the rule fails saying so
 * (Elasticsearch's EQL refuses such a query rather than run it blind).
 */
class ValidateAgainstClusterIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();

    @TempDir
    Path folder;

    @Test
    void anUnknownFieldIsReportedWhereItIsWritten() throws IOException {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        fixture.writeRule(
                SmbRuleFixture.SHIPPED_RULE,
                "process.pid == 4 and destination.port",
                "process.pdi == 4 and destination.port");
        Path rule = fixture.rules.resolve(SmbRuleFixture.SHIPPED_RULE.getFileName());
        List<String> lines = Files.readAllLines(rule);
        int line = 0;
        while (!lines.get(line).contains("process.pdi")) {
            line++;
        }
        int column = lines.get(line).indexOf("process.pdi") + 1;

        CommandRun offline = CommandRun.of("validate", rule.toString());
        assertEquals(0, offline.exitCode, offline.out);

        CommandRun online = CommandRun.of("validate", "--es-url", ES.url(), rule.toString());
        assertEquals(1, online.exitCode, online.out + online.err);
        assertEquals(
                rule + ":" + (line + 1) + ":" + column
                        + ": EQL: Unknown column [process.pdi], did you mean [process.pid]?\n0 rule(s) valid, 1 problem(s)\n",
                online.out);

        CommandRun once = fixture.once("2026-11-28T12:00:00Z");
        assertEquals(1, once.exitCode, once.out + once.err);
        assertTrue(
                (once.out + once.err).contains("Unknown column [process.pdi], did you mean [process.pid]?"),
                once.out + once.err);
    }

    @Test
    void theShippedRuleIsValidAgainstTheDefendMappings() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        CommandRun online = CommandRun.of("validate", "--es-url", ES.url(), fixture.rules.toString());
        assertEquals(0, online.exitCode, online.out + online.err);
        assertEquals("1 rule(s) valid, 0 problem(s)\n", online.out);
    }
}
