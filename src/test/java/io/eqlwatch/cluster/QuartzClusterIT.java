package io.eqlwatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.schedule.ExecutionSummary;
import io.eqlwatch.schedule.RuleRunner;
import io.eqlwatch.schedule.RuleScheduler;
import io.eqlwatch.testing.PostgresHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quartz's clustered store on a real PostgreSQL, in this JVM: eqlwatch creates the tables itself,
 * runs rules from them, lists its node, and a node whose copy of a rule differs from the scheduled
 * one refuses to run it and records why.
 */
class QuartzClusterIT {

    private static final PostgresHarness PG = PostgresHarness.shared();

    private static final String RULE =
            """
            rule_id: 5c5c5c5c-1111-2222-3333-444444444444
            name: Clustered rule
            description: runs from the shared schedule
            type: eql
            index: [logs-*]
            severity: low
            risk_score: 21
            interval: 1s
            from: now-1s
            query: process where process.name == "NAME"
            """;

    @TempDir
    Path folder;

    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    @Test
    void theSchemaIsCreatedOnceAndAMissingTableIsAddedWithoutTouchingTheRest() throws Exception {
        ClusterDatabase database = database("node-a");
        QuartzSchema schema = new QuartzSchema(database);
        assertEquals(11, schema.install(), "all of Quartz's tables on an empty database");
        assertEquals(0, schema.install(), "nothing again");
        try (Connection c = PG.connect(database.settings().jdbcUrl());
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO qrtz_locks VALUES ('eqlwatch', 'TRIGGER_ACCESS')");
            s.execute("DROP TABLE qrtz_calendars");
        }
        assertEquals(1, schema.install(), "the missing table only");
        try (Connection c = PG.connect(database.settings().jdbcUrl());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM qrtz_locks")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "existing rows are kept");
        }
    }

    @Test
    void aClusteredNodeRunsRulesAndIsListedAndANodeWithAnOlderCopyRefusesTheRule() throws Exception {
        ClusterDatabase first = database("node-a");
        new QuartzSchema(first).install();
        Path file = folder.resolve("rule.yml");
        Files.writeString(file, RULE.replace("NAME", "new.exe"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        List<Rule> newer = new RuleLoader().load(folder).rules();

        RuleScheduler a = new RuleScheduler(
                recording("node-a"), Clock.systemUTC(), 2, first.settings().schedulerStore(2));
        try {
            a.apply(newer);
            a.start();
            awaitSize(ran, 2, Duration.ofSeconds(20));
            List<ClusterNodes.Node> nodes = new ClusterNodes(first).list();
            assertEquals(
                    List.of("node-a"),
                    nodes.stream().map(ClusterNodes.Node::name).toList());
            assertTrue(nodes.get(0).alive(Instant.now()), "a running node is alive: " + nodes);
            ClusterException taken = assertThrows(
                    ClusterException.class, () -> new ClusterNodes(first).requireNameFree("node-a", Instant.now()));
            assertTrue(taken.getMessage().contains("--cluster-node-name"), taken.getMessage());
        } finally {
            a.shutdown(Duration.ofSeconds(5));
        }

        // Node b has an older copy of the file (a stale checkout): it neither replaces the scheduled
        // version nor runs its own, and each fire it draws is recorded as refused.
        Files.writeString(file, RULE.replace("NAME", "old.exe"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        List<Rule> older = new RuleLoader().load(folder).rules();
        ClusterDatabase second = database("node-b");
        ran.clear();
        RuleScheduler b = new RuleScheduler(
                recording("node-b"), Clock.systemUTC(), 2, second.settings().schedulerStore(2));
        try {
            b.apply(older);
            b.start();
            awaitSize(refused, 2, Duration.ofSeconds(20));
            assertEquals(List.of(), ran, "the older copy never runs");
            assertTrue(refused.get(0).contains("the cluster schedules version"), refused.get(0));

            // Its folder catches up (the same content as node a's): it runs the rule from then on.
            Files.writeString(file, RULE.replace("NAME", "new.exe"));
            b.apply(new RuleLoader().load(folder).rules());
            awaitSize(ran, 2, Duration.ofSeconds(20));
        } finally {
            b.shutdown(Duration.ofSeconds(5));
        }
    }

    private RuleRunner recording(String node) {
        return new RuleRunner() {
            @Override
            public ExecutionSummary execute(Rule rule, Instant now) {
                ran.add(node + " " + rule.queryText().strip());
                return new ExecutionSummary(
                        rule.ruleId(), rule.name(), "x", now, Duration.ZERO, List.of(), 0, 0, 0, 0, 0, List.of(), null);
            }

            @Override
            public void refuse(String ruleId, String ruleName, Instant now, String reason) {
                refused.add(reason);
            }
        };
    }

    private ClusterDatabase database(String node) {
        return new ClusterDatabase(new ClusterSettings(url(), PG.user(), PG.password(), node, Duration.ofSeconds(2)));
    }

    private String url;

    private String url() {
        if (url == null) {
            url = PG.createDatabase();
        }
        return url;
    }

    private static void awaitSize(List<String> list, int size, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (list.size() < size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + size + " entries within " + timeout + ", got " + list);
            }
            Thread.sleep(100);
        }
    }
}
