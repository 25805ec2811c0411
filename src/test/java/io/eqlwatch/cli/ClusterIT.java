package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.testing.ElasticsearchHarness;
import io.eqlwatch.testing.PostgresHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three daemons ({@code java -jar target/eqlwatch.jar run}, each its own process) share one schedule
 * in a real PostgreSQL and one real Elasticsearch, over 20 rules firing every 15 s. One daemon is
 * killed with SIGKILL part-way and later started again under its old name. What a SOC would check,
 * from the execution history and the alerts index:
 * <ul>
 *   <li>each rule ran once per fire: never two runs of a rule at once or within one interval, and the
 *       windows of its runs follow each other with neither overlap nor hole;</li>
 *   <li>the killed node's rules ran on the others from their next fire, within the check-in grace;</li>
 *   <li>no checkpoint ever moved backwards (watched throughout);</li>
 *   <li>every event up to each rule's final checkpoint has exactly one alert;</li>
 *   <li>the restarted node ran rules again, and {@code status} lists the nodes and who ran what.</li>
 * </ul>
 */
class ClusterIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final PostgresHarness PG = PostgresHarness.shared();

    private static final int RULES = 20;
    private static final Duration INTERVAL = Duration.ofSeconds(15);
    private static final int CHECKIN_SECONDS = 2;
    /** Quartz takes a node for dead this long after its last check-in (interval plus its fixed 7.5 s). */
    private static final Duration TAKEOVER = Duration.ofMillis(CHECKIN_SECONDS * 1000L + 7_500);

    @TempDir
    Path folder;

    private final String eventsIndex = ES.uniqueIndexName("logs-cluster");
    private final String alertsIndex = ES.uniqueIndexName("eqlwatch-alerts");
    private final String stateIndex = ES.uniqueIndexName("eqlwatch-state");
    private final String jdbcUrl = PG.createDatabase();
    private final Map<String, Instant> lastCheckpoint = new ConcurrentHashMap<>();
    private final List<String> regressions = new CopyOnWriteArrayList<>();

    @Test
    void threeNodesRunEachRuleOncePerFireSurviveAKilledNodeAndTakeItBack() throws Exception {
        Path rules = folder.resolve("rules");
        Files.createDirectories(rules);
        for (int r = 0; r < RULES; r++) {
            Files.writeString(rules.resolve(String.format("rule-%02d.yml", r)), rule(r));
        }
        ES.createIndex(
                eventsIndex,
                ElasticsearchHarness.json(
                        """
                {"properties": {"@timestamp": {"type": "date"}, "event": {"properties": {"category": {"type": "keyword"}}},
                 "process": {"properties": {"name": {"type": "keyword"}}}, "host": {"properties": {"id": {"type": "keyword"}}}}}
                """));
        // Events stamped into the coming minutes, indexed now: each is searchable long before a window
        // reaches it, so a missing alert can only mean a window was skipped.
        Instant firstEvent = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(30);
        Map<String, Instant> events = indexEvents(firstEvent, Duration.ofSeconds(4), 60);

        Map<String, Daemon> nodes = new LinkedHashMap<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watchCheckpoints(watching), "checkpoint-watcher");
        try {
            for (String name : List.of("node-1", "node-2", "node-3")) {
                nodes.put(name, Daemon.start(name, args(rules, name)));
            }
            for (Daemon daemon : nodes.values()) {
                daemon.await("eqlwatch running 20 rule(s)", Duration.ofSeconds(90));
            }
            watcher.start();
            Thread.sleep(45_000);

            Instant killed = Instant.now();
            nodes.get("node-2").process.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye
            assertTrue(nodes.get("node-2").process.waitFor(10, TimeUnit.SECONDS));
            Thread.sleep(45_000);

            Instant restarted = Instant.now();
            nodes.put("node-2", Daemon.start("node-2", args(rules, "node-2")));
            nodes.get("node-2").await("eqlwatch running 20 rule(s)", Duration.ofSeconds(90));
            Thread.sleep(45_000);

            CommandRun status = CommandRun.of(
                    "status",
                    "--es-url",
                    ES.url(),
                    "--rules",
                    rules.toString(),
                    "--state-index",
                    stateIndex,
                    "--cluster-jdbc-url",
                    jdbcUrl,
                    "--cluster-jdbc-user",
                    PG.user());
            assertEquals(0, status.exitCode, status.toString());
            for (String name : nodes.keySet()) {
                assertTrue(status.out.contains("  " + name + " — alive"), "status lists " + name + ":\n" + status);
            }
            assertTrue(status.out.contains(" on node-"), "status names the node of each last run:\n" + status);

            for (Daemon daemon : nodes.values()) {
                daemon.process.destroy(); // SIGTERM
            }
            for (Daemon daemon : nodes.values()) {
                assertTrue(daemon.process.waitFor(60, TimeUnit.SECONDS), "a node stops on SIGTERM");
            }
            watching.set(false);
            watcher.join();

            assertEquals(List.of(), regressions, "no checkpoint ever moved backwards");
            Map<String, List<JsonNode>> history = executionsByRule();
            history.forEach((rule, runs) -> System.out.println("[ClusterIT] " + rule + ": "
                    + runs.stream()
                            .sorted(Comparator.comparing(e -> e.path("started").asText()))
                            .map(e -> e.path("started").asText().substring(11, 19) + "@"
                                    + e.path("node").asText())
                            .toList()));
            assertEquals(RULES, history.size(), "every rule ran");
            assertTrue(
                    history.values().stream().mapToInt(List::size).sum() >= RULES * 3,
                    "the rules ran on their schedule, most several times");
            for (Map.Entry<String, List<JsonNode>> rule : history.entrySet()) {
                checkOncePerFire(rule.getKey(), rule.getValue(), killed);
            }
            checkTakeOver(history, killed, restarted);
            checkDetectedDeath(nodes, killed);
            assertTrue(
                    history.values().stream()
                            .flatMap(List::stream)
                            .anyMatch(e -> "node-2".equals(e.path("node").asText())
                                    && Instant.parse(e.path("started").asText()).isAfter(restarted)),
                    "the restarted node-2 ran rules again");
            checkAlerts(events, history);
        } finally {
            watching.set(false);
            for (Daemon daemon : nodes.values()) {
                daemon.process.destroyForcibly();
            }
        }
    }

    private String rule(int r) {
        return String.format(
                Locale.ROOT,
                """
                rule_id: 7e57c1a5-0000-4000-8000-%012d
                name: Cluster rule %02d
                description: finds marker %02d
                type: eql
                index: [%s]
                severity: low
                risk_score: 21
                interval: 15s
                from: now-15s
                query: process where process.name == "marker-%02d.exe"
                """,
                r,
                r,
                r,
                eventsIndex,
                r);
    }

    private List<String> args(Path rules, String name) {
        return List.of(
                "run",
                "--es-url",
                ES.url(),
                "--rules",
                rules.toString(),
                "--alerts-index",
                alertsIndex,
                "--state-index",
                stateIndex,
                "--cluster-jdbc-url",
                jdbcUrl,
                "--cluster-jdbc-user",
                PG.user(),
                "--cluster-node-name",
                name,
                "--cluster-checkin-seconds",
                Integer.toString(CHECKIN_SECONDS),
                "--threads",
                "4",
                "--shutdown-grace-seconds",
                "20");
    }

    /** Indexes {@code count} events per rule, {@code step} apart; returns each event's time by id. */
    private Map<String, Instant> indexEvents(Instant first, Duration step, int count) {
        Map<String, Instant> times = new LinkedHashMap<>();
        List<Object> docs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant at = first.plus(step.multipliedBy(i));
            for (int r = 0; r < RULES; r++) {
                String id = String.format("r%02d-e%03d", r, i);
                docs.add(Map.of(
                        "@timestamp",
                        at.toString(),
                        "event",
                        Map.of("category", "process"),
                        "process",
                        Map.of("name", String.format("marker-%02d.exe", r)),
                        "host",
                        Map.of("id", "h" + r)));
                ids.add(id);
                times.put(id, at);
            }
        }
        ES.bulkIndex(eventsIndex, docs, ids);
        return times;
    }

    private void watchCheckpoints(AtomicBoolean watching) {
        while (watching.get()) {
            try {
                for (ObjectNode doc : search("checkpoint")) {
                    String rule = doc.path("rule_id").asText();
                    Instant now = Instant.parse(doc.path("checkpoint").asText());
                    Instant before = lastCheckpoint.put(rule, now);
                    if (before != null && now.isBefore(before)) {
                        regressions.add(rule + " moved back from " + before + " to " + now);
                    }
                }
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The state index may not exist for the first moments.
            }
        }
    }

    /**
     * One run per fire: runs of a rule never overlap, start at least most of an interval apart, and
     * their windows chain (the rule's look-back equals its interval, so a run resumes at the previous
     * checkpoint, or reads its look-back when that reaches a moment further back). The one hole allowed is a run killed with its node after it
     * moved the checkpoint but before it recorded itself.
     */
    private void checkOncePerFire(String rule, List<JsonNode> executions, Instant killed) {
        List<JsonNode> runs = executions.stream()
                .filter(e -> e.hasNonNull("window_start"))
                .sorted(Comparator.comparing(
                        e -> Instant.parse(e.path("window_start").asText())))
                .toList();
        for (JsonNode e : executions) {
            assertEquals("succeeded", e.path("status").asText(), rule + ": " + e);
        }
        int holes = 0;
        for (int i = 1; i < runs.size(); i++) {
            JsonNode before = runs.get(i - 1);
            JsonNode after = runs.get(i);
            Instant end = Instant.parse(before.path("window_end").asText());
            Instant start = Instant.parse(after.path("window_start").asText());
            Instant startedBefore = Instant.parse(before.path("started").asText());
            Instant startedAfter = Instant.parse(after.path("started").asText());
            assertTrue(
                    !startedAfter.isBefore(
                            startedBefore.plusMillis(before.path("took_ms").asLong())),
                    rule + ": two runs overlapped: " + before + " / " + after);
            assertTrue(
                    Duration.between(startedBefore, startedAfter).compareTo(INTERVAL.dividedBy(2)) >= 0,
                    rule + ": two runs for one fire: " + before + " / " + after);
            // A fire a little early after a late one reads its plain look-back window, which then overlaps the
            // previous run's a moment (its alerts are found again and skipped); anything else must chain exactly.
            boolean lookBackOverlap = start.isBefore(end)
                    && Duration.between(start, end).compareTo(INTERVAL.dividedBy(2)) < 0
                    && Duration.between(
                                    start,
                                    Instant.parse(after.path("window_end").asText()))
                            .equals(INTERVAL);
            if (!start.equals(end) && !lookBackOverlap) {
                // The killed run read [end, start], moved the checkpoint to start and died before recording
                // itself: it began at start (its "now") and was killed after that; its alerts are checked below.
                boolean lostWithKilledNode = start.isAfter(end)
                        && !killed.isBefore(start)
                        && killed.isBefore(start.plus(Duration.ofMinutes(2)));
                assertTrue(
                        lostWithKilledNode && ++holes == 1,
                        rule + ": windows do not chain (" + end + " then " + start + "): " + before + " / " + after);
            }
        }
    }

    /**
     * The rules node-2 ran last before its death run on the others while it is dead. (When the fire
     * comes depends on how busy the survivors' threads are, so the timing is checked on the
     * detection of the death instead.)
     */
    private void checkTakeOver(Map<String, List<JsonNode>> history, Instant killed, Instant restarted) {
        int movedRules = 0;
        for (Map.Entry<String, List<JsonNode>> rule : history.entrySet()) {
            List<JsonNode> runs = rule.getValue().stream()
                    .sorted(Comparator.comparing(
                            e -> Instant.parse(e.path("started").asText())))
                    .toList();
            JsonNode lastBeforeKill = runs.stream()
                    .filter(e -> Instant.parse(e.path("started").asText()).isBefore(killed))
                    .reduce((a, b) -> b)
                    .orElse(null);
            if (lastBeforeKill == null
                    || !"node-2".equals(lastBeforeKill.path("node").asText())) {
                continue;
            }
            movedRules++;
            Instant next = runs.stream()
                    .map(e -> Instant.parse(e.path("started").asText()))
                    .filter(t -> t.isAfter(killed))
                    .findFirst()
                    .orElse(null);
            assertTrue(
                    next != null && next.isBefore(restarted),
                    rule.getKey() + " last ran on node-2 before it was killed at " + killed + ", then first at " + next
                            + " (expected on another node before node-2 restarted at " + restarted + ")");
        }
        assertTrue(movedRules > 0, "node-2 ran some rules last before it was killed");
    }

    /**
     * A survivor's job store detects node-2's death within Quartz's takeover time of the kill (plus
     * one of its own check-in rounds and slack for a loaded machine).
     */
    private void checkDetectedDeath(Map<String, Daemon> nodes, Instant killed) throws IOException {
        Instant detected = null;
        for (String name : List.of("node-1", "node-3")) {
            for (String line : Files.readAllLines(nodes.get(name).log, StandardCharsets.UTF_8)) {
                if (line.contains("ClusterManager: detected") && line.length() > 24) {
                    Instant at = Instant.parse(line.substring(0, 24));
                    if (at.isAfter(killed) && (detected == null || at.isBefore(detected))) {
                        detected = at;
                    }
                }
            }
        }
        Instant deadline = killed.plus(TAKEOVER).plusSeconds(CHECKIN_SECONDS + 10);
        assertTrue(
                detected != null && detected.isBefore(deadline),
                "a survivor took over node-2's work by " + deadline + "; it did at " + detected);
    }

    /**
     * Each event from its rule's first window (a rule's first run reads only its look-back) up to its
     * final checkpoint has exactly one alert; no event has two.
     */
    private void checkAlerts(Map<String, Instant> events, Map<String, List<JsonNode>> history) throws IOException {
        ES.refresh(alertsIndex);
        Map<String, Integer> alertsPerEvent = new HashMap<>();
        SearchResponse<ObjectNode> response =
                ES.client().search(s -> s.index(alertsIndex).size(10_000), ObjectNode.class);
        for (Hit<ObjectNode> hit : response.hits().hits()) {
            for (JsonNode ancestor : hit.source().path("kibana.alert.ancestors")) {
                alertsPerEvent.merge(ancestor.path("id").asText(), 1, Integer::sum);
            }
        }
        int expected = 0;
        for (Map.Entry<String, Instant> event : events.entrySet()) {
            String rule = String.format(
                    "7e57c1a5-0000-4000-8000-%012d",
                    Integer.parseInt(event.getKey().substring(1, 3)));
            Instant checkpoint = lastCheckpoint.get(rule);
            Instant firstRead = history.get(rule).stream()
                    .filter(e -> e.hasNonNull("window_start"))
                    .map(e -> Instant.parse(e.path("window_start").asText()))
                    .min(Comparator.naturalOrder())
                    .orElseThrow();
            int alerts = alertsPerEvent.getOrDefault(event.getKey(), 0);
            assertTrue(alerts <= 1, event.getKey() + " has " + alerts + " alerts");
            if (checkpoint != null
                    && event.getValue().isAfter(firstRead)
                    && event.getValue().isBefore(checkpoint)) {
                expected++;
                assertEquals(
                        1,
                        alerts,
                        event.getKey() + " at " + event.getValue() + " lies before the checkpoint " + checkpoint
                                + " of its rule but has no alert");
            }
        }
        assertTrue(expected >= RULES * 10, "most events lay inside the test's run: " + expected);
    }

    private Map<String, List<JsonNode>> executionsByRule() {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (ObjectNode doc : search("execution")) {
            out.computeIfAbsent(doc.path("rule_id").asText(), k -> new ArrayList<>())
                    .add(doc);
        }
        return out;
    }

    private List<ObjectNode> search(String type) {
        try {
            ES.refresh(stateIndex);
            SearchResponse<ObjectNode> response = ES.client()
                    .search(
                            s -> s.index(stateIndex)
                                    .size(10_000)
                                    .query(q -> q.term(t -> t.field("type").value(type))),
                            ObjectNode.class);
            return response.hits().hits().stream().map(Hit::source).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One daemon process and its log file. */
    private record Daemon(Process process, Path log) {

        static Daemon start(String name, List<String> args) throws IOException {
            // Kept after the test, for a post-mortem of a failure.
            Path logs = Path.of("target", "cluster-it-logs");
            Files.createDirectories(logs);
            Path log = logs.resolve(name + "-" + System.currentTimeMillis() + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-jar",
                    "target/eqlwatch.jar"));
            command.addAll(args);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new Daemon(process, log);
        }

        void await(String fragment, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.readString(log, StandardCharsets.UTF_8).contains(fragment)) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("the daemon did not log '" + fragment + "'; its log:\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
                }
                Thread.sleep(200);
            }
        }
    }
}
