package io.eqlwatch.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Plain connections to the cluster's database for the few things eqlwatch does there itself
 * (creating Quartz's tables, listing the nodes); Quartz's own pool serves the schedule.
 */
public final class ClusterDatabase {

    private final ClusterSettings settings;

    public ClusterDatabase(ClusterSettings settings) {
        this.settings = settings;
    }

    public ClusterSettings settings() {
        return settings;
    }

    Connection connect() {
        Properties properties = new Properties();
        if (settings.user() != null) {
            properties.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("ApplicationName", "eqlwatch " + settings.nodeName());
        try {
            return DriverManager.getConnection(settings.jdbcUrl(), properties);
        } catch (SQLException e) {
            throw failure("cannot connect to", e);
        }
    }

    ClusterException failure(String doing, SQLException e) {
        // The driver's messages name host, database and user, never the password.
        return new ClusterException(doing + " the cluster database " + settings.safeUrl() + ": " + e.getMessage(), e);
    }
}
