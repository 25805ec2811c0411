package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleFolderWatcher;
import io.eqlwatch.rule.RuleLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running daemon's scheduler follows edits of the rules folder: a changed interval takes effect
 * without a restart, a broken edit keeps the last good version running, and removed or added files
 * unschedule or schedule their rules. Real Quartz, real files; only the rule's work is recorded.
 */
class LiveRuleChangeTest {

    private static final String RULE =
            """
            rule_id: 0f0f0f0f-1111-2222-3333-444444444444
            name: Live rule
            description: changes while the daemon runs
            type: eql
            index: [logs-*]
            severity: low
            risk_score: 21
            interval: INTERVAL
            from: now-LOOKBACK
            query: |
              process where process.name == "cmd.exe"
            """;

    @TempDir
    Path folder;

    private final List<Instant> runs = new CopyOnWriteArrayList<>();
    private RuleScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void anEditedIntervalReschedulesTheRunningRule() throws Exception {
        Path file = write("rule.yml", "1h", "2h");
        List<Rule> initial = new RuleLoader().load(folder).rules();
        scheduler = new RuleScheduler((rule, now) -> record(rule, now), Clock.systemUTC(), 2);
        scheduler.apply(initial);
        scheduler.start();
        RuleFolderWatcher watcher = new RuleFolderWatcher(folder, new RuleLoader(), scheduler::apply);
        watcher.start(initial);
        String id = initial.get(0).ruleId();
        assertEquals(Duration.ofHours(1), scheduler.scheduledInterval(id));

        write("rule.yml", "1s", "9s");
        watcher.poll();
        assertEquals(Duration.ofSeconds(1), scheduler.scheduledInterval(id));
        int before = runs.size();
        Thread.sleep(3_500);
        assertTrue(runs.size() - before >= 3, "runs every second after the edit: " + (runs.size() - before));

        Files.writeString(
                file,
                RULE.replace("INTERVAL", "1m")
                        .replace("LOOKBACK", "2m")
                        .replace("process.name == \"cmd.exe\"", "process.name == "));
        watcher.poll();
        assertEquals(
                Duration.ofSeconds(1),
                scheduler.scheduledInterval(id),
                "a broken edit leaves the last good version scheduled");

        Files.delete(file);
        watcher.poll();
        assertNull(scheduler.scheduledInterval(id), "a removed file unschedules its rule");

        write("other.yml", "5m", "9m");
        watcher.poll();
        assertEquals(Duration.ofMinutes(5), scheduler.scheduledInterval(id), "a new file is scheduled");
    }

    private ExecutionSummary record(Rule rule, Instant now) {
        runs.add(now);
        return new ExecutionSummary(
                rule.ruleId(), rule.name(), "x", now, Duration.ZERO, List.of(), 0, 0, 0, 0, 0, List.of(), null);
    }

    private Path write(String name, String interval, String lookBack) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, RULE.replace("INTERVAL", interval).replace("LOOKBACK", lookBack));
        return file;
    }
}
