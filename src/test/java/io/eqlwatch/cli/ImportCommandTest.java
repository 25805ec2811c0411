package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eqlwatch import} then {@code eqlwatch validate}, as a user runs them. */
class ImportCommandTest {

    @TempDir
    Path target;

    private static String resource(String name) throws URISyntaxException {
        return Path.of(ImportCommandTest.class.getResource("/import/" + name).toURI())
                .toString();
    }

    @Test
    void importedRulesValidate() throws URISyntaxException {
        CommandRun imported = CommandRun.of(
                "import",
                resource("detection-rules"),
                resource("kibana/rules_export.ndjson"),
                "--to",
                target.toString());

        assertEquals(0, imported.exitCode, imported.out + imported.err);
        assertTrue(
                imported.out.contains(
                        "skipped initial_access_kql_not_eql.toml (Login From Tor Exit Node): type 'query' is not an EQL rule\n"),
                imported.out);
        assertTrue(
                imported.out.contains("imported 8 rule(s) into " + target + "; 4 skipped, 0 unreadable\n"),
                imported.out);
        assertTrue(
                imported.out.contains(
                        "fields not kept (no meaning in eqlwatch), with the number of rules that had them:\n"
                                + "  metadata.creation_date: 6\n"),
                imported.out);

        CommandRun validated = CommandRun.of("validate", target.toString());
        assertEquals(0, validated.exitCode, validated.out);
        assertEquals("8 rule(s) valid, 0 problem(s)\n", validated.out);
    }

    @Test
    void anUnreadableSourceMakesTheImportFail(@TempDir Path sources) throws IOException {
        Files.writeString(sources.resolve("bad.toml"), "[rule\n");

        CommandRun run = CommandRun.of("import", sources.toString(), "--to", target.toString());

        assertEquals(1, run.exitCode);
        assertTrue(run.out.startsWith("unreadable bad.toml:"), run.out);
    }

    @Test
    void aMissingSourceIsBadInput() {
        CommandRun run = CommandRun.of("import", target.resolve("nope").toString(), "--to", target.toString());

        assertEquals(2, run.exitCode);
        assertEquals("eqlwatch: " + target.resolve("nope") + ": no such file or folder\n", run.err);
    }
}
