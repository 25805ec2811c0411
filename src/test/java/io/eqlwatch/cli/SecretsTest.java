package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.es.ElasticsearchConnection;
import io.eqlwatch.testing.FaultProxy;
import io.eqlwatch.testing.FaultProxy.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No secret typed on a command line, in a URL or a file ever comes back in eqlwatch's output. */
class SecretsTest {

    private static final String SECRET = "Hunter2-not-for-your-eyes";

    @TempDir
    Path folder;

    @Test
    void aMistypedOptionIsNamedButItsValueIsNotEchoed() {
        CommandRun run = CommandRun.of("once", "--es-passwrod", SECRET, "--rules", folder.toString());
        assertEquals(2, run.exitCode, run.toString());
        assertFalse(run.out.contains(SECRET) || run.err.contains(SECRET), run.toString());
        assertTrue(run.err.contains("--es-passwrod"), run.err);
        assertTrue(run.err.contains("--es-password"), "the option meant is suggested: " + run.err);
    }

    @Test
    void credentialsInTheUrlAreNotPrintedWhenTheClusterRefusesThem() throws IOException {
        Path rules = Files.createDirectories(folder.resolve("rules"));
        Files.copy(SmbRuleFixture.SHIPPED_RULE, rules.resolve("smb.yml"));
        // A cluster that refuses every request: the command fails at its first call and says why.
        try (FaultProxy cluster = FaultProxy.start("http://127.0.0.1:9")) {
            cluster.always(request -> true, Fault.status(401));
            String url = cluster.url().replace("http://", "http://eqlwatch:" + SECRET + "@");

            CommandRun run = CommandRun.of("once", "--es-url", url, "--rules", rules.toString());

            assertEquals(2, run.exitCode, run.toString());
            assertTrue(run.err.contains("401"), run.err);
            assertTrue(run.err.contains(cluster.url()), "the URL is named, without its credentials: " + run.err);
            assertFalse(run.out.contains(SECRET) || run.err.contains(SECRET), run.toString());
        }
    }

    @Test
    void passwordsAndApiKeysComeFromFiles() throws IOException {
        Path password = Files.writeString(folder.resolve("password"), SECRET + "\n");
        Path apiKey = Files.writeString(folder.resolve("api-key"), "a2V5OnNlY3JldA==\n");
        ConnectionOptions options = new ConnectionOptions();
        options.esUrl = "https://es:9200";
        options.username = "eqlwatch";
        options.passwordFile = password;
        ElasticsearchConnection basic = ConnectedServices.connection(options);
        assertEquals(SECRET, basic.password());

        ConnectionOptions keyed = new ConnectionOptions();
        keyed.esUrl = "https://es:9200";
        keyed.apiKeyFile = apiKey;
        assertEquals("a2V5OnNlY3JldA==", ConnectedServices.connection(keyed).apiKey());

        String help = CommandRun.of("run", "--help").out;
        assertTrue(help.contains("--es-password-file") && help.contains("EQLWATCH_ES_PASSWORD_FILE"), help);
        assertTrue(help.contains("--es-api-key-file"), help);
        assertTrue(help.contains("visible to") && help.contains("(ps)"), help);
    }
}
