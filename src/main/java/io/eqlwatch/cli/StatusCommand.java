package io.eqlwatch.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.eqlwatch.cluster.ClusterDatabase;
import io.eqlwatch.cluster.ClusterException;
import io.eqlwatch.cluster.ClusterNodes;
import io.eqlwatch.es.ElasticsearchClients;
import io.eqlwatch.notify.ElasticsearchOutbox;
import io.eqlwatch.notify.NotificationStatus;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleProblem;
import io.eqlwatch.rule.RuleSet;
import io.eqlwatch.schedule.ElasticsearchRunStateStore;
import io.eqlwatch.schedule.ExecutionSummary;
import io.eqlwatch.schedule.RunStateStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code eqlwatch status}: where each rule stands, read from the state index, and the cluster's nodes. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Prints each rule's checkpoint, last execution (and the node that ran it), last error and"
                + " unfilled gaps; with --cluster-jdbc-url, also the cluster's nodes and their last check-in.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    RuleOptions rules;

    @Mixin
    EngineOptions engine;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    NotifyOptions notify;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RuleSet set = RuleFiles.loadUsable(rules.rules, spec.commandLine().getErr());
        List<Rule> loaded = set.rules();
        ElasticsearchClient client = ElasticsearchClients.create(ConnectedServices.connection(connection));
        RunStateStore state = new ElasticsearchRunStateStore(client, engine.stateIndex);
        NotificationStatus notifications =
                new NotificationStatus(new ElasticsearchOutbox(client, notify.notificationsIndex));
        for (RuleProblem problem : set.problems()) {
            out.println("not running (rule file skipped): " + problem);
        }
        for (Rule rule : loaded) {
            out.println(rule.name() + " [" + rule.ruleId() + "]" + (rule.enabled() ? "" : " (disabled)"));
            out.println("  every " + rule.intervalText() + " over " + rule.from());
            Optional<Instant> checkpoint = state.checkpoint(rule.ruleId());
            out.println("  checkpoint:     " + checkpoint.map(Object::toString).orElse("none (never completed a run)"));
            List<ExecutionSummary> history = state.executions(rule.ruleId(), 20);
            if (history.isEmpty()) {
                out.println("  last execution: none");
            } else {
                ExecutionSummary last = history.get(0);
                String node = state.lastExecutionNode(rule.ruleId())
                        .map(n -> " on " + n)
                        .orElse("");
                out.println("  last execution: " + last.started() + node + " — " + (last.failed() ? "FAILED" : "ok")
                        + ", alerts written " + last.alertsWritten() + ", events read " + last.eventsRead());
                last.warnings().forEach(w -> out.println("  warning:        " + w));
                history.stream()
                        .filter(ExecutionSummary::failed)
                        .findFirst()
                        .ifPresent(e -> out.println("  last error:     " + e.started() + " — " + e.error()));
            }
            for (RunStateStore.RecordedGap gap : state.gaps(rule.ruleId())) {
                out.println("  gap:            " + gap.range() + " — fill with: " + gap.backfillCommand());
            }
            if (!rule.actions().isEmpty()) {
                notifications.lines(rule.ruleId()).forEach(line -> out.println("  " + line));
            }
        }
        printNodes(out);
        out.flush();
        return 0;
    }

    private void printNodes(PrintWriter out) {
        ClusterDatabase database = cluster.database();
        if (database == null) {
            return;
        }
        List<ClusterNodes.Node> nodes;
        try {
            nodes = new ClusterNodes(database).list();
        } catch (ClusterException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        Instant now = Instant.now();
        out.println("cluster nodes (" + database.settings().safeUrl() + "):" + (nodes.isEmpty() ? " none" : ""));
        for (ClusterNodes.Node node : nodes) {
            long ago = Duration.between(node.lastCheckin(), now).toSeconds();
            out.println("  " + node.name() + " — " + (node.alive(now) ? "alive" : "OVERDUE (taken for dead)")
                    + ", last check-in " + ago + " s ago, every "
                    + node.checkinInterval().toSeconds() + " s");
        }
    }
}
