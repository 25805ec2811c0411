package io.eqlwatch.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Quartz's PostgreSQL tables when they are missing, from the script Quartz ships in its jar,
 * so that a new cluster needs an empty database and nothing else. Every statement is made
 * idempotent ({@code IF NOT EXISTS}) and the script's {@code DROP}s are left out: a table or index
 * missing from an older install is added, and existing schedules are never touched. Nodes starting
 * together serialise on an advisory lock, so one creates and the others find the tables.
 */
public final class QuartzSchema {

    static final String TABLE_PREFIX = "QRTZ_";

    private static final String SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";
    /** An arbitrary constant that names eqlwatch's schema lock among the database's advisory locks. */
    private static final long LOCK_KEY = 0x65716c7761746368L;

    private static final Logger LOG = LoggerFactory.getLogger(QuartzSchema.class);

    private final ClusterDatabase database;

    public QuartzSchema(ClusterDatabase database) {
        this.database = database;
    }

    /** Creates what is missing; returns the number of tables that had to be created. */
    public int install() {
        List<String> statements = statements(script());
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            int created = 0;
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                for (String sql : statements) {
                    String table = createdTable(sql);
                    if (table != null && !exists(connection, table)) {
                        created++;
                    }
                    statement.execute(sql);
                }
            }
            connection.commit();
            if (created > 0) {
                LOG.info(
                        "created {} Quartz table(s) in {}",
                        created,
                        database.settings().safeUrl());
            }
            return created;
        } catch (SQLException e) {
            throw database.failure("cannot create Quartz's tables in", e);
        }
    }

    /** The script's CREATE statements, each made safe to run on a database that has some or all of them. */
    static List<String> statements(String script) {
        StringBuilder text = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("--")) {
                text.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String raw : text.toString().split(";")) {
            String sql = raw.strip().replaceAll("\\s+", " ");
            String upper = sql.toUpperCase(Locale.ROOT);
            if (upper.startsWith("CREATE TABLE ")) {
                out.add("CREATE TABLE IF NOT EXISTS " + sql.substring("CREATE TABLE ".length()));
            } else if (upper.startsWith("CREATE INDEX ")) {
                out.add("CREATE INDEX IF NOT EXISTS " + sql.substring("CREATE INDEX ".length()));
            }
            // DROP TABLE and COMMIT are left out: this runs in its own transaction and drops nothing.
        }
        return out;
    }

    private static String createdTable(String sql) {
        String prefix = "CREATE TABLE IF NOT EXISTS ";
        if (!sql.startsWith(prefix)) {
            return null;
        }
        String rest = sql.substring(prefix.length());
        int end = 0;
        while (end < rest.length() && (Character.isLetterOrDigit(rest.charAt(end)) || rest.charAt(end) == '_')) {
            end++;
        }
        return rest.substring(0, end);
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT to_regclass('" + table.toLowerCase(Locale.ROOT) + "')")) {
            return rs.next() && rs.getString(1) != null;
        }
    }

    private static String script() {
        try (InputStream in = JobStoreTX.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("the Quartz jar lacks " + SCRIPT);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCRIPT + " from the Quartz jar", e);
        }
    }
}
