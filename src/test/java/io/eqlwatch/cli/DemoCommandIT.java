package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.testing.ElasticsearchHarness;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The first command a new user runs: it must start its own Elasticsearch, find the simulated
 * attack and show exactly that one alert, then say how to keep things running.
 */
class DemoCommandIT {

    @Test
    void theDemoShowsTheOneSimulatedAttack() {
        CommandRun run = CommandRun.of(
                "demo",
                "--es-version",
                ElasticsearchHarness.requestedVersion(),
                "--alerts-index",
                "eqlwatch-alerts-demo",
                "--state-index",
                "eqlwatch-state-demo");

        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.out.contains("1 alert(s) in eqlwatch-alerts-demo"), run.out);
        List<String> rows = Arrays.stream(run.out.split("\n"))
                .filter(line -> line.contains("Potential Lateral Tool Transfer via SMB Share  medium"))
                .toList();
        assertEquals(1, rows.size(), run.out);
        String row = rows.get(0);
        assertTrue(row.contains("47"), row);
        assertTrue(row.matches(".*network by System from [0-9.]+:445 → file by System wrote .+\\.exe$"), row);
        assertTrue(run.out.contains("demo --keep-running"), run.out);
    }
}
