package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eqlwatch bench} as a user runs it, on streams small enough for a unit test (no timing asserted). */
class BenchCommandTest {

    @Test
    void reportsThroughputAndConfirmsTheMatchesAreThePlantedTransfers() {
        CommandRun run = CommandRun.of(
                "bench",
                "--events",
                "30000",
                "--hosts",
                "300",
                "--attack-rate",
                "0.002",
                "--warmup",
                "0",
                "--iterations",
                "1");
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.out.contains("events/s"), run.toString());
        assertTrue(run.out.matches("(?s).*matches:\\s+(\\d+) found, = \\1 planted: OK.*"), run.toString());
        assertTrue(run.out.contains("peak live after GC"), run.toString());
    }

    @Test
    void anotherRuleRunsButIsNotCheckedAgainstThePlantedTransfers(@TempDir Path dir) throws Exception {
        String smb = Files.readString(Path.of("rules/lateral_tool_transfer_smb.yml"));
        String other = smb.replace(
                "rule_id: 58bc134c-e8d2-4291-a552-b4b3e537c60b", "rule_id: 00000000-0000-0000-0000-000000000001");
        Path rule = dir.resolve("other.yml");
        Files.writeString(rule, other);
        CommandRun run = CommandRun.of(
                "bench", "--rule", rule.toString(), "--events", "5000", "--warmup", "0", "--iterations", "1");
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.out.contains("not checked"), run.toString());
    }

    @Test
    void failsLoudlyWhenTheMatchesAreNotThePlantedTransfers(@TempDir Path dir) throws Exception {
        // the SMB rule with a 1 s maxspan: the planted file writes come 1 to 20 s after their connection
        String smb = Files.readString(Path.of("rules/lateral_tool_transfer_smb.yml"));
        Path rule = dir.resolve("smb-short.yml");
        Files.writeString(rule, smb.replace("maxspan=30s", "maxspan=1s"));
        CommandRun run = CommandRun.of(
                "bench",
                "--rule",
                rule.toString(),
                "--events",
                "30000",
                "--hosts",
                "300",
                "--attack-rate",
                "0.002",
                "--warmup",
                "0",
                "--iterations",
                "1");
        assertEquals(1, run.exitCode, run.toString());
        assertTrue(run.err.contains("not the planted transfers") && run.err.contains("not found"), run.toString());
        assertTrue(run.out.contains("MISMATCH"), run.toString());
    }

    @Test
    void aBadWorkloadIsAClearError() {
        CommandRun run = CommandRun.of("bench", "--attack-rate", "0.6", "--iterations", "1");
        assertEquals(FriendlyErrors.USER_ERROR, run.exitCode, run.toString());
        assertTrue(run.err.contains("at most 0.5"), run.toString());
    }

    @Test
    void esUrlAndLocalEsTogetherAreRefused() {
        CommandRun run = CommandRun.of("bench", "--es-url", "http://localhost:9200", "--local-es");
        assertEquals(FriendlyErrors.USER_ERROR, run.exitCode, run.toString());
        assertTrue(run.err.contains("not both"), run.toString());
    }
}
