package io.eqlwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.alert.AlertBuilder;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.notify.NotificationPreview;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.schedule.RangeRun;
import io.eqlwatch.schedule.TimeWindow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eqlwatch preview --rule FILE --from T1 --to T2}: what a rule would raise over past data,
 * without writing anything, so a changed query can be tried on last week before it ships.
 */
@Command(
        name = "preview",
        mixinStandardHelpOptions = true,
        description = "Prints the alerts a rule file would raise over a past range, writing nothing.")
final class PreviewCommand implements Callable<Integer> {

    enum Format {
        table,
        ndjson
    }

    @Mixin
    ConnectionOptions connection;

    @Mixin
    EngineOptions engine;

    @Option(names = "--rule", required = true, paramLabel = "FILE", description = "The rule file to try.")
    Path ruleFile;

    @Option(
            names = "--format",
            defaultValue = "table",
            description = "table (one line per alert) or ndjson (one line per alert: its _id and document).")
    Format format;

    @Mixin
    RangeOptions range;

    @Mixin
    NotifyOptions notify;

    @Option(
            names = "--notifications",
            description = "Also print the messages the rule's actions would send"
                    + " (rendered with the connectors file; nothing is sent).")
    boolean notifications;

    @Option(
            names = "--alerts-index",
            defaultValue = "${env:EQLWATCH_ALERTS_INDEX:-eqlwatch-alerts-default}",
            description = "The alerts index the messages' Kibana links name (default ${DEFAULT-VALUE}).")
    String alertsIndex;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TimeWindow window = range.range(Instant.now());
        Rule rule = new RuleLoader().loadFile(ruleFile);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progressOut = spec.commandLine().getErr();
        RangeRun.Outcome outcome;
        try (ConnectedServices services = ConnectedServices.connectOnly(connection, engine)) {
            outcome = services.rangeRun(range.windowSize())
                    .preview(
                            services.plan(rule),
                            window,
                            new ProgressPrinter(progressOut, ProgressPrinter.onTerminal()));
        }
        ObjectMapper json = new ObjectMapper();
        for (AlertGroup group : outcome.alerts()) {
            JsonNode alert = group.primary().source();
            if (format == Format.ndjson) {
                ObjectNode line = json.createObjectNode().put("_id", group.id());
                line.set("_source", alert);
                out.println(line);
            } else {
                out.println(alert.path("kibana.alert.original_time").asText() + "  "
                        + group.id().substring(0, 12) + "  "
                        + alert.path("kibana.alert.reason").asText());
            }
        }
        if (notifications) {
            new NotificationPreview(notify.settings())
                    .render(rule, outcome.alerts(), alertsIndex, AlertBuilder.DEFAULT_SPACE, Instant.now())
                    .forEach(out::println);
        }
        if (format == Format.table) {
            for (RangeRun.Excepted excepted : outcome.excepted()) {
                JsonNode alert = excepted.alert().primary().source();
                out.println("removed by exception '" + excepted.item() + "': "
                        + alert.path("kibana.alert.original_time").asText() + "  "
                        + excepted.alert().id().substring(0, 12)
                        + "  " + alert.path("kibana.alert.reason").asText());
            }
            outcome.suppressedInto()
                    .forEach((match, into) -> out.println("suppressed: match " + match.substring(0, 12)
                            + " folded into alert " + into.substring(0, 12)));
            out.printf(
                    "%d alert(s) from %s over %s (%d window(s), %d events read); nothing was written%n",
                    outcome.alerts().size(), rule.name(), window, outcome.windows(), outcome.eventsRead());
            if (!outcome.excepted().isEmpty() || !outcome.suppressedInto().isEmpty()) {
                out.printf(
                        "%d match(es) removed by exceptions, %d suppressed into other alerts%n",
                        outcome.excepted().size(), outcome.suppressedInto().size());
            }
        }
        out.flush();
        return 0;
    }
}
