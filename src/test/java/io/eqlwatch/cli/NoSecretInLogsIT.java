package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.testing.ElasticsearchHarness;
import io.eqlwatch.testing.FaultProxy;
import io.eqlwatch.testing.FaultProxy.Fault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as an operator runs it, at DEBUG, credentials in the URL, through a cluster that fails now and then
 * (so that retry and error paths log too): nothing it prints contains the password, in clear or as the
 * base64 of a Basic Authorization header.
 */
class NoSecretInLogsIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final String PASSWORD = "Hunter2-not-for-your-eyes";

    @TempDir
    Path folder;

    @Test
    void aDebugRunPrintsNoSecret() throws Exception {
        SmbRuleFixture fixture = new SmbRuleFixture(ES, folder);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        fixture.indexScenarios(List.of(new DefendEventGenerator(31).attack(now.minus(Duration.ofMinutes(2)))));
        Path output = folder.resolve("once.log");
        try (FaultProxy proxy = FaultProxy.start(ES.url())) {
            proxy.failFirstOfEachKind(request -> request.kind().contains("_search"), Fault.status(503));
            String url = proxy.url().replace("http://", "http://eqlwatch:" + PASSWORD + "@");
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            "target/eqlwatch.jar",
                            "once",
                            "--es-url",
                            url,
                            "--rules",
                            fixture.rules.toString(),
                            "--alerts-index",
                            fixture.alertsIndex,
                            "--state-index",
                            fixture.stateIndex)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().put("EQLWATCH_LOG_LEVEL", "DEBUG");
            Process once = builder.start();
            assertTrue(once.waitFor(3, TimeUnit.MINUTES), "once finishes");
            String printed = Files.readString(output, StandardCharsets.UTF_8);

            assertEquals(0, once.exitValue(), printed);
            assertTrue(printed.contains("alerts written 1,"), printed);
            assertTrue(printed.contains(" DEBUG "), "DEBUG logging was on: " + printed);
            String header =
                    Base64.getEncoder().encodeToString(("eqlwatch:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertFalse(printed.contains(PASSWORD), "the password is printed:\n" + printed);
            assertFalse(printed.contains(header), "the Authorization header is printed:\n" + printed);
        }
    }
}
