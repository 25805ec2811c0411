package io.eqlwatch.cli;

import io.eqlwatch.notify.DeliveryOutcome;
import io.eqlwatch.notify.NotificationPreview;
import io.eqlwatch.notify.NotifyConfigException;
import io.eqlwatch.notify.NotifySettings;
import io.eqlwatch.notify.SampleAlert;
import io.eqlwatch.rule.Rule;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eqlwatch notify test --connector NAME}: checks a connector by sending it a made-up alert. */
@Command(
        name = "notify",
        mixinStandardHelpOptions = true,
        description = "Works with the connectors file.",
        subcommands = NotifyCommand.Test.class)
final class NotifyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = "Sends a made-up alert (host eqlwatch-test) through one connector, as a rule's action"
                    + " would, and prints the message and the receiver's answer. Needs no Elasticsearch.")
    static final class Test implements Callable<Integer> {

        @Mixin
        RuleOptions rules;

        @Mixin
        NotifyOptions notify;

        @Option(names = "--connector", required = true, paramLabel = "NAME", description = "The connector to try.")
        String connector;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            NotifySettings settings = notify.settings();
            List<Rule> loaded = RuleFiles.loadUsable(
                            rules.rules, spec.commandLine().getErr())
                    .rules();
            // The message of a rule that uses this connector, so its own templates are tried too.
            Rule rule = loaded.stream()
                    .filter(r ->
                            r.actions().stream().anyMatch(a -> a.connector().equals(connector)))
                    .findFirst()
                    .orElse(loaded.isEmpty() ? null : loaded.get(0));
            if (rule == null) {
                throw new UserFacingException("no rule in " + rules.rules + " to compose a test message from");
            }
            PrintWriter out = spec.commandLine().getOut();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            DeliveryOutcome outcome;
            try {
                outcome = new NotificationPreview(settings)
                        .sendTest(connector, rule, SampleAlert.of(rule, now), rules.alertsIndex, now);
            } catch (NotifyConfigException e) {
                throw new UserFacingException(e.getMessage());
            }
            out.println((outcome.delivered() ? "sent: " : "NOT sent: ") + outcome.detail());
            out.flush();
            return outcome.delivered() ? 0 : 1;
        }
    }
}
