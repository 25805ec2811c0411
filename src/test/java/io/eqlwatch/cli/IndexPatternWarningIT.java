package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.testing.ElasticsearchHarness;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule whose index pattern matches nothing runs, but says so: in `once` and in `status`, as Kibana warns. */
class IndexPatternWarningIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String TYPO = "logs-endpoint.evnets.file-eqlwatch-test-*";

    @TempDir
    Path folder;

    @Test
    void aPatternThatMatchesNothingIsAWarningOfTheExecution() {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        // The typo stands beside the real indices: a rule whose only file index were misspelt would read a
        // field no index maps, which fails the run (as Elasticsearch refuses the query), with this warning too.
        fixture.writeRule(
                SmbRuleFixture.SHIPPED_RULE,
                "  - " + fixture.fileIndex + "\n",
                "  - " + fixture.fileIndex + "\n  - " + TYPO + "\n");

        CommandRun once = fixture.once(NOW.toString());

        assertEquals(0, once.exitCode, once.toString());
        assertTrue(once.out.contains("warning: index pattern " + TYPO + " matches no index"), once.toString());
        assertFalse(once.out.contains("index pattern " + fixture.networkIndex), "the existing index is fine: " + once);

        CommandRun status = CommandRun.of(
                "status",
                "--es-url",
                ES.url(),
                "--rules",
                fixture.rules.toString(),
                "--state-index",
                fixture.stateIndex);
        assertEquals(0, status.exitCode, status.toString());
        assertTrue(
                status.out.contains("warning:        index pattern " + TYPO + " matches no index"), status.toString());
    }
}
