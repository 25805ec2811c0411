package io.eqlwatch.cli;

import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.demo.DefendDataset;
import io.eqlwatch.demo.GeneratedEvent;
import io.eqlwatch.demo.Scenario;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One test's private copy of the shipped SMB rule and its own event, alert and state indices, so
 * integration tests share one Elasticsearch without seeing each other's data.
 */
final class SmbRuleFixture {

    static final Path SHIPPED_RULE = Path.of("rules/lateral_tool_transfer_smb.yml");

    final ElasticsearchHarness es;
    final String networkIndex;
    final String fileIndex;
    final String alertsIndex;
    final String stateIndex;
    final Path rules;

    SmbRuleFixture(ElasticsearchHarness es, Path folder) {
        this(es, folder, es.uniqueIndexName("eqlwatch-alerts"));
    }

    /** @param alertsIndex where the alerts go, e.g. Kibana's {@code .alerts-security.alerts-<space>} */
    SmbRuleFixture(ElasticsearchHarness es, Path folder, String alertsIndex) {
        this.es = es;
        this.networkIndex = es.uniqueIndexName("logs-endpoint.events.network");
        this.fileIndex = es.uniqueIndexName("logs-endpoint.events.file");
        this.alertsIndex = alertsIndex;
        this.stateIndex = es.uniqueIndexName("eqlwatch-state");
        es.createIndex(networkIndex, DefendDataset.NETWORK);
        es.createIndex(fileIndex, DefendDataset.FILE);
        this.rules = folder.resolve("rules");
        writeRule(SHIPPED_RULE);
    }

    /** Writes the shipped rule, pointed at this test's indices, with optional textual edits. */
    void writeRule(Path source, String... replacements) {
        try {
            String yaml = Files.readString(source)
                    .replace(
                            "  - logs-endpoint.events.file-*\n  - logs-endpoint.events.network-*\n",
                            "  - " + fileIndex + "\n  - " + networkIndex + "\n");
            for (int i = 0; i + 1 < replacements.length; i += 2) {
                yaml = yaml.replace(replacements[i], replacements[i + 1]);
            }
            Files.createDirectories(rules);
            Files.writeString(rules.resolve(source.getFileName()), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void index(List<GeneratedEvent> events) {
        List<Object> network = new ArrayList<>();
        List<Object> file = new ArrayList<>();
        for (GeneratedEvent event : events) {
            (event.dataset() == DefendDataset.NETWORK ? network : file).add(event.document());
        }
        es.bulkIndex(networkIndex, network);
        es.bulkIndex(fileIndex, file);
    }

    void indexScenarios(List<Scenario> scenarios) {
        index(scenarios.stream().flatMap(s -> s.events().stream()).toList());
    }

    CommandRun once(String now, String... extra) {
        List<String> args = new ArrayList<>(List.of("once", "--now", now));
        args.addAll(ownIndices());
        args.addAll(List.of(extra));
        return CommandRun.of(args);
    }

    /**
     * Starts {@code eqlwatch run} on this fixture's rules and indices in its own process, its output going to
     * {@code log} (read it with {@link DaemonLog}); the caller stops it.
     */
    Process startDaemon(Path log, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "target/eqlwatch.jar",
                "run"));
        command.addAll(ownIndices());
        command.addAll(List.of(extra));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** The options that point a command at this fixture's cluster, rules and indices. */
    private List<String> ownIndices() {
        return List.of(
                "--es-url",
                es.url(),
                "--rules",
                rules.toString(),
                "--alerts-index",
                alertsIndex,
                "--state-index",
                stateIndex);
    }

    /** Shell alerts (one per detected sequence), as Kibana's alerts table lists them. */
    List<ObjectNode> shellAlerts() {
        return alerts(true);
    }

    List<ObjectNode> allAlerts() {
        return alerts(false);
    }

    private List<ObjectNode> alerts(boolean shellsOnly) {
        try {
            if (!es.client().indices().exists(e -> e.index(alertsIndex)).value()) {
                return List.of();
            }
            es.refresh(alertsIndex);
            SearchResponse<ObjectNode> response = es.client()
                    .search(
                            s -> s.index(alertsIndex)
                                    .size(10_000)
                                    .query(q -> shellsOnly
                                            ? q.bool(b -> b.mustNot(
                                                    m -> m.exists(x -> x.field("kibana.alert.building_block_type"))))
                                            : q.matchAll(m -> m)),
                            ObjectNode.class);
            return response.hits().hits().stream().map(Hit::source).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
