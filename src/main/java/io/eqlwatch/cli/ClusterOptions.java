package io.eqlwatch.cli;

import io.eqlwatch.cluster.ClusterDatabase;
import io.eqlwatch.cluster.ClusterException;
import io.eqlwatch.cluster.ClusterSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Whether the daemon runs alone (the default: Quartz's in-memory schedule, nothing to set up) or as
 * one node of a cluster sharing a schedule in PostgreSQL. The password is read from the environment
 * or a file only, so that it never shows in a process list or a log.
 */
public final class ClusterOptions {

    static final String PASSWORD_ENV = "EQLWATCH_CLUSTER_JDBC_PASSWORD";

    @Option(
            names = "--cluster-jdbc-url",
            defaultValue = "${env:EQLWATCH_CLUSTER_JDBC_URL}",
            paramLabel = "URL",
            description = "PostgreSQL database of a cluster of daemons sharing one schedule,"
                    + " e.g. jdbc:postgresql://db:5432/eqlwatch; without it the daemon runs alone"
                    + " (env EQLWATCH_CLUSTER_JDBC_URL).")
    String jdbcUrl;

    @Option(
            names = "--cluster-jdbc-user",
            defaultValue = "${env:EQLWATCH_CLUSTER_JDBC_USER}",
            description = "Database user (env EQLWATCH_CLUSTER_JDBC_USER). The password comes from env " + PASSWORD_ENV
                    + " or --cluster-jdbc-password-file.")
    String user;

    @Option(
            names = "--cluster-jdbc-password-file",
            defaultValue = "${env:EQLWATCH_CLUSTER_JDBC_PASSWORD_FILE}",
            paramLabel = "FILE",
            description = "File holding the database password, e.g. a Docker secret"
                    + " (env EQLWATCH_CLUSTER_JDBC_PASSWORD_FILE).")
    Path passwordFile;

    @Option(
            names = "--cluster-node-name",
            defaultValue = "${env:EQLWATCH_CLUSTER_NODE_NAME}",
            description = "This node's name, unique in the cluster (env EQLWATCH_CLUSTER_NODE_NAME; default the"
                    + " host name).")
    String nodeName;

    @Option(
            names = "--cluster-checkin-seconds",
            defaultValue = "${env:EQLWATCH_CLUSTER_CHECKIN_SECONDS:-5}",
            description = "How often a node tells the cluster it is alive; a node silent for this plus 7.5 s is"
                    + " taken for dead and its rules run on the others (default ${DEFAULT-VALUE}).")
    int checkinSeconds;

    boolean clustered() {
        return jdbcUrl != null && !jdbcUrl.isBlank();
    }

    /** The name this process records with its executions, clustered or not. */
    String node() {
        if (nodeName != null && !nodeName.isBlank()) {
            return nodeName.strip();
        }
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "eqlwatch";
        }
    }

    /** The cluster's database, or {@code null} when this daemon runs alone. */
    ClusterDatabase database() {
        if (!clustered()) {
            return null;
        }
        try {
            return new ClusterDatabase(new ClusterSettings(
                    jdbcUrl.strip(), blankToNull(user), password(), node(), Duration.ofSeconds(checkinSeconds)));
        } catch (IllegalArgumentException | ClusterException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
    }

    private String password() {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UserFacingException(
                        "cannot read the cluster database password from " + passwordFile + ": " + e.getMessage(), e);
            }
        }
        return blankToNull(System.getenv(PASSWORD_ENV));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
