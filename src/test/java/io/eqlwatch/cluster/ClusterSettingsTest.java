package io.eqlwatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.schedule.SchedulerStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clustered store's settings, Quartz's schema script as eqlwatch runs it, and when a node counts as alive. */
class ClusterSettingsTest {

    private static final String URL = "jdbc:postgresql://db:5432/eqlwatch?password=hunter2&ssl=true";

    @Test
    void theStoreIsQuartzsClusteredJdbcStoreOnPostgresWithAHikariPool() {
        SchedulerStore store =
                new ClusterSettings(URL, "eqlwatch", "s3cret", "node-1", Duration.ofSeconds(5)).schedulerStore(4);
        assertTrue(store.clustered());
        assertEquals(
                "org.quartz.impl.jdbcjobstore.JobStoreTX", store.properties().get("org.quartz.jobStore.class"));
        assertEquals(
                "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate",
                store.properties().get("org.quartz.jobStore.driverDelegateClass"));
        assertEquals("true", store.properties().get("org.quartz.jobStore.isClustered"));
        assertEquals("5000", store.properties().get("org.quartz.jobStore.clusterCheckinInterval"));
        assertEquals("true", store.properties().get("org.quartz.jobStore.useProperties"));
        assertEquals("node-1", store.properties().get("org.quartz.scheduler.instanceId"));
        assertEquals("hikaricp", store.properties().get("org.quartz.dataSource.eqlwatch.provider"));
        assertEquals("7", store.properties().get("org.quartz.dataSource.eqlwatch.maxConnections"));
    }

    @Test
    void thePasswordNeverShowsInWhatIsPrinted() {
        ClusterSettings settings = new ClusterSettings(URL, "eqlwatch", "s3cret", "node-1", Duration.ofSeconds(5));
        for (String printed : List.of(
                settings.toString(),
                settings.safeUrl(),
                settings.schedulerStore(2).toString())) {
            assertFalse(printed.contains("s3cret") || printed.contains("hunter2"), printed);
        }
        assertEquals("jdbc:postgresql://db:5432/eqlwatch?…", settings.safeUrl());
        IllegalArgumentException notPostgres = assertThrows(
                IllegalArgumentException.class,
                () -> new ClusterSettings(
                        "jdbc:mysql://db/x?password=hunter2", null, null, "n", Duration.ofSeconds(5)));
        assertFalse(notPostgres.getMessage().contains("hunter2"), notPostgres.getMessage());
        assertTrue(notPostgres.getMessage().contains("PostgreSQL"), notPostgres.getMessage());
    }

    @Test
    void badSettingsAreRefusedWithTheReason() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClusterSettings("jdbc:postgresql://db/x", null, null, "n", Duration.ofMillis(500)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClusterSettings("jdbc:postgresql://db/x", null, null, " ", Duration.ofSeconds(5)));
    }

    @Test
    void quartzsScriptBecomesCreateIfMissingStatementsWithoutItsDrops() {
        List<String> statements = QuartzSchema.statements(
                """
                -- a comment; with a semicolon
                DROP TABLE IF EXISTS QRTZ_LOCKS;
                CREATE TABLE QRTZ_LOCKS
                (
                  SCHED_NAME VARCHAR(120) NOT NULL,
                  PRIMARY KEY (SCHED_NAME)
                );
                create index IDX_QRTZ_X on QRTZ_LOCKS(SCHED_NAME);
                COMMIT;
                """);
        assertEquals(
                List.of(
                        "CREATE TABLE IF NOT EXISTS QRTZ_LOCKS ( SCHED_NAME VARCHAR(120) NOT NULL, PRIMARY KEY (SCHED_NAME) )",
                        "CREATE INDEX IF NOT EXISTS IDX_QRTZ_X on QRTZ_LOCKS(SCHED_NAME)"),
                statements);
    }

    @Test
    void aNodeIsAliveUntilItsCheckinIsOverdueByQuartzsGrace() {
        Instant checkin = Instant.parse("2026-12-01T10:00:00Z");
        ClusterNodes.Node node = new ClusterNodes.Node("n", checkin, Duration.ofSeconds(5));
        assertTrue(node.alive(checkin.plusMillis(12_500)));
        assertFalse(node.alive(checkin.plusMillis(12_501)));
    }
}
