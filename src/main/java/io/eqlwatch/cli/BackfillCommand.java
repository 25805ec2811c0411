package io.eqlwatch.cli;

import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleSet;
import io.eqlwatch.schedule.RangeRun;
import io.eqlwatch.schedule.TimeWindow;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eqlwatch backfill --rule ID --from T1 --to T2}: fills a historical range with alerts. */
@Command(
        name = "backfill",
        mixinStandardHelpOptions = true,
        description = "Runs a rule over a past range, window by window, writing its alerts (never twice)."
                + " Killed and started again with the same arguments, it resumes after the last completed window.")
final class BackfillCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    RuleOptions rules;

    @Mixin
    EngineOptions engine;

    @Option(
            names = "--rule",
            required = true,
            paramLabel = "RULE_ID",
            description = "The rule_id of a rule in --rules.")
    String ruleId;

    @Mixin
    RangeOptions range;

    @Mixin
    NotifyOptions notify;

    @Option(
            names = "--notify",
            description = "Send the rule's notifications for the alerts the backfill writes;"
                    + " without it a backfill notifies no one.")
    boolean sendNotifications;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws AlertWriteException {
        TimeWindow window = range.range(Instant.now());
        RuleSet set = RuleFiles.loadUsable(rules.rules, spec.commandLine().getErr());
        Rule rule = set.rules().stream()
                .filter(r -> r.ruleId().equals(ruleId))
                .findFirst()
                .orElseThrow(() -> set.hasProblems()
                        ? new UserFacingException("no loadable rule with rule_id " + ruleId + " in " + rules.rules
                                + "; if it is in one of the skipped files above, fix that file first")
                        : new UserFacingException("no rule with rule_id " + ruleId + " in " + rules.rules));
        PrintWriter out = spec.commandLine().getOut();
        try (ConnectedServices services = sendNotifications
                ? ConnectedServices.open(connection, rules, engine, notify)
                : ConnectedServices.open(connection, rules, engine)) {
            if (sendNotifications) {
                services.notifications.register(List.of(rule));
            }
            RangeRun.Outcome outcome = services.rangeRun(range.windowSize())
                    .backfill(
                            services.plan(rule),
                            window,
                            services.sink,
                            services.state,
                            new ProgressPrinter(out, ProgressPrinter.onTerminal()));
            out.printf(
                    "backfill of %s over %s: %d window(s) (%d already done), events read %d, sequences found %d,"
                            + " alerts written %d, duplicates skipped %d%n",
                    rule.name(),
                    window,
                    outcome.windows(),
                    outcome.windowsSkippedAsDone(),
                    outcome.eventsRead(),
                    outcome.matches(),
                    outcome.alertsWritten(),
                    outcome.duplicatesSkipped());
            if (sendNotifications) {
                out.println(services.notifications.dispatchNow().line());
            }
        }
        out.flush();
        return 0;
    }
}
