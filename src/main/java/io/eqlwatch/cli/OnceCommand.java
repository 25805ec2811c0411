package io.eqlwatch.cli;

import io.eqlwatch.notify.DispatchReport;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleSet;
import io.eqlwatch.schedule.ExecutionSummary;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eqlwatch once [--now T]}: one execution of every rule, as the daemon would run it at T. */
@Command(
        name = "once",
        mixinStandardHelpOptions = true,
        description = "Runs every enabled rule once, as the daemon would at --now (default: the real clock),"
                + " checkpoint included, prints one summary line per rule, and exits 1 if any rule failed or a rule file"
                + " could not be loaded (the others still run).")
final class OnceCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    RuleOptions rules;

    @Mixin
    EngineOptions engine;

    @Mixin
    NotifyOptions notify;

    @Option(
            names = "--now",
            paramLabel = "INSTANT",
            description = "The instant the run acts as if the clock read, ISO-8601 (e.g. 2026-11-28T12:00:00Z).")
    String now;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Instant at = parseNow(now);
        // The cluster's checks of the alerts and state indices are round trips that need no rule: they
        // go on while the rules load, and a failure to connect is still told after the rules' problems.
        CompletableFuture<ConnectedServices> connecting = connectInBackground();
        RuleSet set;
        // Loading and planning the rules run once per process: optimised compilations of that code would cost more
        // than they save. Lifted before the first event is read, so matching a large window is compiled as usual.
        StartupCompilation startup = StartupCompilation.begin();
        try {
            set = RuleFiles.loadUsable(rules.rules, spec.commandLine().getErr());
        } catch (RuntimeException e) {
            startup.close();
            connecting.thenAccept(ConnectedServices::close);
            throw e;
        }
        List<Rule> loaded = set.rules();
        PrintWriter out = spec.commandLine().getOut();
        // A skipped rule file is a rule that did not run: a cron job or CI check must see it.
        boolean failed = set.hasProblems();
        try (ConnectedServices services = connected(connecting)) {
            services.notifications.check(loaded).forEach(problem -> out.println("warning: " + problem));
            services.notifications.register(loaded);
            List<Rule> enabled = new ArrayList<>();
            for (Rule rule : loaded) {
                if (rule.enabled()) {
                    enabled.add(rule);
                } else {
                    out.println(rule.name() + " [" + rule.ruleId() + "]: disabled, not run");
                }
            }
            // All at once: one read of the state, of each index pattern's mappings, and of the events
            // rules over the same indices share; each rule still matches, alerts and fails on its own.
            for (ExecutionSummary summary : services.batch.execute(enabled, at, startup::close)) {
                out.println(summary.line());
                summary.warnings().forEach(w -> out.println("  warning: " + w));
                failed |= summary.failed();
            }
            // One round: what cannot be delivered now is retried by the daemon (or the next `once`).
            DispatchReport report = services.notifications.dispatchNow();
            if (!report.idle() || report.waiting() > 0) {
                out.println(report.line());
            }
        } finally {
            startup.close();
        }
        out.flush();
        return failed ? 1 : 0;
    }

    private CompletableFuture<ConnectedServices> connectInBackground() {
        CompletableFuture<ConnectedServices> connecting = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        connecting.complete(ConnectedServices.open(connection, rules, engine, notify));
                    } catch (RuntimeException | Error e) {
                        connecting.completeExceptionally(e);
                    }
                },
                "eqlwatch-connect");
        // Not a reason to keep the process alive when the rules alone already failed the command.
        thread.setDaemon(true);
        thread.start();
        return connecting;
    }

    /** The services once connected; a failure to connect is thrown as {@link ConnectedServices#open} threw it. */
    private static ConnectedServices connected(CompletableFuture<ConnectedServices> connecting) {
        try {
            return connecting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    static Instant parseNow(String text) {
        if (text == null) {
            return Instant.now().truncatedTo(ChronoUnit.MILLIS);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new UserFacingException(
                    "--now '" + text + "' is not an ISO-8601 instant such as 2026-11-28T12:00:00Z");
        }
    }
}
