package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.demo.DefendEventGenerator;
import io.eqlwatch.testing.KibanaAlertTemplates;
import io.eqlwatch.testing.SecuredElasticsearch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's least-privilege role, exactly as README prints it, on a cluster with security and TLS on: every
 * command an operator runs against a cluster works under it, and the attack is alerted. Likewise the
 * secure compose stack's role for writing into Kibana's own alerts index.
 */
class RoleIT {

    private static final String ROLE = readmeRole();
    private static final SecuredElasticsearch ES = SecuredElasticsearch.shared(ROLE);

    @TempDir
    Path folder;

    @Test
    void everyCommandWorksUnderReadmesRole() throws Exception {
        SmbRuleFixture fixture = new SmbRuleFixture(ES.admin(), folder);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        fixture.indexScenarios(List.of(new DefendEventGenerator(41).attack(now.minus(Duration.ofMinutes(3)))));
        Path passwordFile = Files.writeString(folder.resolve("password"), ES.eqlwatchPassword());
        Path rule = fixture.rules.resolve("lateral_tool_transfer_smb.yml");

        CommandRun once = CommandRun.of(as(fixture, passwordFile, "once", "--now", now.toString()));
        assertEquals(0, once.exitCode, once.toString());
        assertEquals(1, once.count("alerts written"), once.toString());

        CommandRun status = CommandRun.of(as(fixture, passwordFile, "status"));
        assertEquals(0, status.exitCode, status.toString());
        assertTrue(status.out.contains("checkpoint:     20"), status.out);

        String from = now.minus(Duration.ofMinutes(30)).toString();
        CommandRun backfill = CommandRun.of(as(
                fixture,
                passwordFile,
                "backfill",
                "--rule",
                "58bc134c-e8d2-4291-a552-b4b3e537c60b",
                "--from",
                from,
                "--to",
                now.toString()));
        assertEquals(0, backfill.exitCode, backfill.toString());
        assertTrue(backfill.out.contains("duplicates skipped 1"), backfill.out);

        List<String> preview =
                new ArrayList<>(List.of("preview", "--rule", rule.toString(), "--from", from, "--to", now.toString()));
        preview.addAll(connection(passwordFile));
        CommandRun previewed = CommandRun.of(preview);
        assertEquals(0, previewed.exitCode, previewed.toString());
        assertTrue(
                previewed.out.contains("1 alert(s) from Potential Lateral Tool Transfer via SMB Share"), previewed.out);

        Path health = folder.resolve("healthy");
        Path log = folder.resolve("daemon.log");
        List<String> run = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", "target/eqlwatch.jar"));
        run.addAll(as(fixture, passwordFile, "run", "--health-file", health.toString()));
        Process daemon = new ProcessBuilder(run)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!(Files.exists(health)
                    && Files.readString(log, StandardCharsets.UTF_8).contains("— ok"))) {
                assertTrue(daemon.isAlive(), "the daemon exited:\n" + Files.readString(log, StandardCharsets.UTF_8));
                assertTrue(
                        System.nanoTime() < deadline,
                        "no successful run and health file within 90 s:\n"
                                + Files.readString(log, StandardCharsets.UTF_8));
                Thread.sleep(250);
            }
            daemon.destroy();
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, daemon.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            String printed = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(!printed.contains(" ERROR ") && !printed.contains("forbidden"), printed);
        } finally {
            daemon.destroyForcibly();
        }
        assertEquals(1, fixture.shellAlerts().size());
    }

    /**
     * The secure compose stack's role (docker/secure/eqlwatch-role.json, as the stack's setup loads it) is all
     * a daemon writing into Kibana's own alerts index needs: the alert is written through Kibana's write alias,
     * a second run finds it and writes no copy, and the state and history are kept.
     */
    @Test
    void kibanasAlertsIndexTakesTheAlertsUnderTheSecureStacksRole() throws Exception {
        String set = ES.admin().serverVersion().startsWith("8.") ? "8.19" : "9.x";
        String space = "roleit-" + UUID.randomUUID().toString().substring(0, 8);
        KibanaAlertTemplates.Installed kibana =
                KibanaAlertTemplates.of(set).install(ES.admin().client(), space);
        SmbRuleFixture fixture = new SmbRuleFixture(ES.admin(), folder, kibana.alias());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        fixture.indexScenarios(List.of(new DefendEventGenerator(43).attack(now.minus(Duration.ofMinutes(3)))));
        Path passwordFile = Files.writeString(folder.resolve("password"), ES.eqlwatchPassword());

        CommandRun once = CommandRun.of(
                as(SecuredElasticsearch.KIBANA_MODE_USER, fixture, passwordFile, "once", "--now", now.toString()));
        assertEquals(0, once.exitCode, once.toString());
        assertEquals(1, once.count("alerts written"), once.toString());
        assertTrue(!once.toString().contains("unauthorized"), "the role allows all the run does:\n" + once);
        assertEquals(1, fixture.shellAlerts().size());
        assertEquals(
                space,
                fixture.shellAlerts().get(0).path("kibana.space_ids").path(0).asText(),
                "listed in its space");

        CommandRun again = CommandRun.of(as(
                SecuredElasticsearch.KIBANA_MODE_USER,
                fixture,
                passwordFile,
                "once",
                "--now",
                now.plusSeconds(60).toString()));
        assertEquals(0, again.exitCode, again.toString());
        assertTrue(!again.toString().contains("forbidden"), again.toString());
        assertEquals(1, fixture.shellAlerts().size(), "the second run writes no copy of the alert");

        CommandRun status = CommandRun.of(as(SecuredElasticsearch.KIBANA_MODE_USER, fixture, passwordFile, "status"));
        assertEquals(0, status.exitCode, status.toString());
        assertTrue(status.out.contains("checkpoint:     20"), status.out);
        KibanaAlertTemplates.uninstall(ES.admin().client(), kibana);
    }

    private static List<String> as(SmbRuleFixture fixture, Path passwordFile, String... command) {
        return as(SecuredElasticsearch.EQLWATCH_USER, fixture, passwordFile, command);
    }

    private static List<String> as(String user, SmbRuleFixture fixture, Path passwordFile, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(
                "--rules",
                fixture.rules.toString(),
                "--alerts-index",
                fixture.alertsIndex,
                "--state-index",
                fixture.stateIndex));
        args.addAll(connection(user, passwordFile));
        return args;
    }

    private static List<String> connection(Path passwordFile) {
        return connection(SecuredElasticsearch.EQLWATCH_USER, passwordFile);
    }

    private static List<String> connection(String user, Path passwordFile) {
        return List.of(
                "--es-url",
                ES.url(),
                "--es-username",
                user,
                "--es-password-file",
                passwordFile.toString(),
                "--es-ca-cert",
                ES.caCertificate().toString());
    }

    /** The role between README's least-privilege-role markers, as roles.yml text. */
    private static String readmeRole() {
        try {
            String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
            int start = readme.indexOf("<!-- least-privilege-role -->");
            int end = readme.indexOf("<!-- /least-privilege-role -->");
            String block = readme.substring(start, end);
            block = block.substring(block.indexOf("```yaml") + "```yaml".length(), block.lastIndexOf("```"));
            StringBuilder yaml = new StringBuilder();
            for (String line : block.split("\n")) {
                yaml.append(line.startsWith("   ") ? line.substring(3) : line).append('\n');
            }
            return yaml.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
