package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The config file, the environment and flags, in that rising order, and what `eqlwatch config` shows of them. */
class ConfigurationTest {

    @TempDir
    Path folder;

    private Path file(String yaml) throws IOException {
        Path file = folder.resolve("eqlwatch.yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static ConfigFile read(Path config) {
        return ConfigFile.read(config, Main.optionKeys(Main.commandLine()));
    }

    private RunCommand parseRun(Path config, Map<String, String> environment, String... args) {
        RunCommand run = new RunCommand();
        CommandLine commandLine = new CommandLine(run);
        commandLine.setDefaultValueProvider(new LayeredDefaults(read(config), environment));
        commandLine.parseArgs(args);
        return run;
    }

    @Test
    void aFlagBeatsTheEnvironmentWhichBeatsTheFileWhichBeatsTheDefault() throws IOException {
        Path config = file(
                """
                es-url: https://es.example:9200
                threads: 4
                watch-seconds: 11
                rules: /etc/eqlwatch/rules
                """);
        Map<String, String> environment = Map.of("EQLWATCH_THREADS", "6", "EQLWATCH_WATCH_SECONDS", "12");
        RunCommand run = parseRun(config, environment, "--watch-seconds", "13");
        assertEquals("https://es.example:9200", run.connection.esUrl, "file over default");
        assertEquals(6, run.threads, "environment over file");
        assertEquals(13, run.watchSeconds, "flag over environment and file");
        assertEquals(Path.of("/etc/eqlwatch/rules"), run.rules.rules);
        assertEquals(60, run.graceSeconds, "the default when nobody sets it");
    }

    @Test
    void anUnknownKeyIsAnErrorThatNamesTheFileAndSuggestsTheOption() throws IOException {
        Path config = file("es-ulr: https://es.example:9200\n");
        UserFacingException e = assertThrows(UserFacingException.class, () -> read(config));
        assertEquals("config file " + config + ": unknown option 'es-ulr' (did you mean 'es-url'?)", e.getMessage());
    }

    @Test
    void badYamlAndAMissingFileSayWhereAndWhy() throws IOException {
        Path config = file("es-url: [unclosed\n");
        UserFacingException e = assertThrows(UserFacingException.class, () -> read(config));
        assertTrue(e.getMessage().startsWith("config file " + config + " is not valid YAML at line"), e.getMessage());
        UserFacingException missing = assertThrows(UserFacingException.class, () -> read(folder.resolve("nope.yml")));
        assertEquals("config file " + folder.resolve("nope.yml") + " does not exist", missing.getMessage());
        Path list = file("- a\n- b\n");
        assertEquals(
                "config file " + list + " must be a mapping of option names to values,"
                        + " e.g. 'es-url: https://es.example:9200'",
                assertThrows(UserFacingException.class, () -> read(list)).getMessage());
    }

    @Test
    void configPrintsEveryRunOptionWithItsSourceAndMasksSecrets() throws IOException {
        Path config = file(
                """
                es-url: https://admin:hunter2@es.example:9200
                es-password: s3cret-from-file
                es-api-key: aWQ6a2V5
                threads: 4
                """);
        CommandRun result =
                CommandRun.of("config", "--config", config.toString(), "--threads", "8", "--http-port", "9464");
        assertEquals(0, result.exitCode, result.toString());
        String out = result.out;
        assertTrue(out.contains("# eqlwatch run would use (config file: " + config + ")"), out);
        assertTrue(out.contains("es-url: \"https://admin:********@es.example:9200\"  # file"), out);
        assertTrue(out.contains("es-password: ********  # file"), out);
        assertTrue(out.contains("es-api-key: ********  # file"), out);
        assertTrue(out.contains("threads: 8  # flag --threads"), out);
        assertTrue(out.contains("http-port: 9464  # flag --http-port"), out);
        assertTrue(out.contains("shutdown-grace-seconds: 60  # default"), out);
        assertTrue(out.contains("history-retention: 30d  # default"), out);
        assertFalse(
                out.contains("hunter2") || out.contains("s3cret") || out.contains("aWQ6a2V5"),
                "no secret in the output");
    }

    @Test
    void everyCommandAcceptsConfigAndTheFileAppliesToIt() throws IOException {
        Path config = file("threads: 3\n");
        CommandRun result = CommandRun.of("config", "--config=" + config);
        assertEquals(0, result.exitCode, result.toString());
        assertTrue(result.out.contains("threads: 3  # file"), result.out);
        CommandRun validate = CommandRun.of("validate", "--config", config.toString(), "--help");
        assertEquals(0, validate.exitCode, validate.toString());
    }

    @Test
    void theShippedExampleConfigIsValidAndTakesEffect() {
        RunCommand run = parseRun(Path.of("contrib/eqlwatch.yml"), Map.of());
        assertEquals("https://elasticsearch.example:9200", run.connection.esUrl);
        assertEquals(Integer.valueOf(9464), run.operationsOptions.httpPort);
        assertEquals("30d", run.historyRetention);
    }

    @Test
    void versionNamesTheReleaseAndTheCommit() {
        assertEquals("eqlwatch 0.2.0 (commit c1c4f9a)", VersionProvider.line("0.2.0", "c1c4f9a"));
        assertEquals(
                "eqlwatch 0.2.0 (commit c1c4f9a, built with uncommitted changes)",
                VersionProvider.line("0.2.0", "c1c4f9a-dirty"));
        assertEquals("eqlwatch 0.2.0 (unknown commit)", VersionProvider.line("0.2.0", null));
        assertEquals("eqlwatch (development build)", VersionProvider.line(null, null));
    }

    @Test
    void theBuildRecordsItsCommitForVersion() {
        CommandRun result = CommandRun.of("--version");
        assertEquals(0, result.exitCode);
        assertTrue(result.out.matches("eqlwatch \\S+ \\(commit [0-9a-f]{7,}.*\\)\\s*"), result.out);
    }
}
