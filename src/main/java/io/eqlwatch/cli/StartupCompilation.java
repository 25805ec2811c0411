package io.eqlwatch.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the JVM's optimising compiler (C2) off the code a start-up phase runs, for as long as the phase lasts.
 *
 * <p>Loading a thousand rule files runs the YAML scanner, the EQL parser and the planner hot enough for C2 to
 * compile them, and on a small machine those compilations took about two thirds of a {@code once}'s CPU for code
 * that then hardly runs again; {@code -XX:TieredStopAtLevel=1} halves such a run, but a flag cannot be given to
 * one command of a jar launched as {@code java -jar}. A compiler directive can, at run time, through the JVM's
 * diagnostic command bean: while it is in force a method that turns hot is compiled by C1 alone, and it stays
 * so. Code that first turns hot after the phase (the matching of a large window) still gets C2; what turned hot
 * during it (some of the JDK's and Jackson's methods too) stays compiled by C1, which is why the daemon, whose
 * throughput is what counts, never uses it.
 *
 * <p>Only the speed of the phase depends on it: where the JVM has no such bean, or no temporary file can be
 * written, the phase simply runs with both compilers.
 */
final class StartupCompilation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StartupCompilation.class);

    private static final String DIRECTIVE = "[{match: \"*.*\", c2: {Exclude: true}}]";
    private static final String[] STRING_ARRAY = {String[].class.getName()};

    private final MBeanServer server;
    private final ObjectName commands;
    /** Whether the directive was lifted: lifting it twice would remove a directive someone else added. */
    private boolean lifted;

    private StartupCompilation(MBeanServer server, ObjectName commands) {
        this.server = server;
        this.commands = commands;
    }

    /** The directive put in force, or a phase that runs as usual when it cannot be. */
    static StartupCompilation begin() {
        Path file = null;
        try {
            file = Files.createTempFile("eqlwatch-startup-", ".json");
            Files.writeString(file, DIRECTIVE, StandardCharsets.UTF_8);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName commands = new ObjectName("com.sun.management:type=DiagnosticCommand");
            server.invoke(
                    commands, "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}}, STRING_ARRAY);
            return new StartupCompilation(server, commands);
        } catch (IOException | JMException | RuntimeException e) {
            LOG.debug("start-up runs with both JIT compilers: {}", e.toString());
            return new StartupCompilation(null, null);
        } finally {
            deleteQuietly(file);
        }
    }

    /** Lifts the directive (once; later calls do nothing): code that turns hot from now on is compiled as usual. */
    @Override
    public void close() {
        if (server == null || lifted) {
            return;
        }
        lifted = true;
        try {
            server.invoke(commands, "compilerDirectivesRemove", new Object[] {new String[0]}, STRING_ARRAY);
        } catch (JMException | RuntimeException e) {
            LOG.debug("the start-up compiler directive stays in force: {}", e.toString());
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", file, e.toString());
        }
    }
}
