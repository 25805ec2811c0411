package io.eqlwatch.cli;

import io.eqlwatch.demo.DemoDataLoader;
import io.eqlwatch.es.LocalElasticsearch;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.schedule.ExecutionSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eqlwatch demo}: the first thing a new user runs. Starts a throw-away Elasticsearch, loads
 * a simulated SMB tool transfer among benign traffic, runs the rules, and shows the alerts.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Starts a local Elasticsearch (the integ-test-zip Maven fetched), loads simulated Elastic"
                + " Defend events of an SMB tool transfer among benign noise, runs the rules once and prints the"
                + " alerts. With --keep-running it then goes on as the daemon until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    RuleOptions rules;

    @Mixin
    EngineOptions engine;

    @Option(
            names = "--es-version",
            defaultValue = "${env:EQLWATCH_DEMO_ES_VERSION:-8.19.21}",
            description = "Elasticsearch version to start (its integ-test-zip must be in the local Maven"
                    + " repository; `mvn package` fetches 8.19.21 and 9.5.4). Default ${DEFAULT-VALUE}.")
    String esVersion;

    @Option(
            names = "--keep-running",
            description = "After showing the alerts, keep Elasticsearch and the rules"
                    + " running (every rule at its interval) until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated events.")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        List<Rule> loaded =
                RuleFiles.loadUsable(rules.rules, spec.commandLine().getErr()).rules();
        out.println("Starting Elasticsearch " + esVersion + " on loopback (about 20 seconds)...");
        out.flush();
        LocalElasticsearch elasticsearch;
        try {
            elasticsearch = LocalElasticsearch.builder(esVersion).start();
        } catch (RuntimeException e) {
            throw new UserFacingException(
                    "cannot start the demo Elasticsearch: " + e.getMessage()
                            + "\n  (run `mvn package` first: it fetches the Elasticsearch distribution the demo starts)",
                    e);
        }
        try (elasticsearch) {
            ConnectionOptions connection = new ConnectionOptions();
            connection.esUrl = elasticsearch.url();
            try (ConnectedServices services = ConnectedServices.open(connection, rules, engine)) {
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                DemoDataLoader.Loaded data = new DemoDataLoader(services.client).load(now, seed, "default", 300);
                out.println("Elasticsearch " + elasticsearch.version() + " is up at " + elasticsearch.url()
                        + "; loaded " + data.totalEvents() + " simulated Elastic Defend events: one SMB tool transfer, "
                        + (data.scenarios().size() - data.expectedAlerts().size()) + " look-alikes that must not alert,"
                        + " " + data.noiseEvents() + " events of benign traffic.");
                out.println();
                for (Rule rule : loaded) {
                    ExecutionSummary summary = services.executor.execute(rule, now);
                    out.println(summary.line());
                }
                out.println();
                List<String[]> rows = AlertTable.rows(services.client, services.alertIndex.name());
                out.println(rows.size() + " alert(s) in " + services.alertIndex.name() + ":");
                out.println();
                AlertTable.print(rows, out);
                out.println();
                if (!keepRunning) {
                    out.println("Elasticsearch stops now. To keep it and the rules running (each at its interval),");
                    out.println("run `java -jar target/eqlwatch.jar demo --keep-running`; to watch your own cluster,");
                    out.println("run `java -jar target/eqlwatch.jar run --es-url https://your-cluster:9200`.");
                    out.flush();
                    return 0;
                }
                out.println("Keeping Elasticsearch at " + elasticsearch.url() + " and running the rules on their"
                        + " schedule. Point a Kibana 8.19 at it to browse the alerts. Ctrl-C stops both.");
                out.flush();
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "eqlwatch-demo-stop"));
                new Daemon(services, rules.rules, 2, Duration.ofSeconds(5), Duration.ofSeconds(10), null)
                        .runUntil(stop, loaded);
            }
        }
        return 0;
    }
}
