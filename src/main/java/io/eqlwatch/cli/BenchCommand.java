package io.eqlwatch.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.eqlwatch.bench.DefendFieldTypes;
import io.eqlwatch.bench.EngineBenchmark;
import io.eqlwatch.bench.HeapWatch;
import io.eqlwatch.bench.PushDownBenchmark;
import io.eqlwatch.bench.ScanVersusExecution;
import io.eqlwatch.bench.SyntheticEventStream;
import io.eqlwatch.bench.Workload;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.ElasticsearchClients;
import io.eqlwatch.es.ElasticsearchConnection;
import io.eqlwatch.es.LocalElasticsearch;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.rule.RuleSet;
import io.eqlwatch.schedule.ExecutionSummary;
import io.eqlwatch.source.SourceFetch;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eqlwatch bench}: how fast the engine runs a rule and how little memory it needs, over a synthetic
 * Elastic Defend stream whose planted SMB tool transfers the results are checked against; optionally also a
 * whole rule execution against Elasticsearch.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Benchmarks the EQL engine on a rule over a synthetic, lazily generated Elastic Defend event"
                    + " stream (noise, stage-1 candidates, planted SMB tool transfers), and checks that the matches are"
                    + " exactly the planted transfers (exit code 1 if not).",
            "With --es-url or --local-es it also indexes a smaller stream into Elasticsearch and times a rule"
                    + " execution (point in time, push-down filter, in-memory match).",
            "Memory is bounded by open sequences, not by events: try `java -Xmx128m -jar target/eqlwatch.jar"
                    + " bench --events 10000000 --warmup 0 --iterations 1`."
        })
final class BenchCommand implements Callable<Integer> {

    static final String SMB_RULE_ID = "58bc134c-e8d2-4291-a552-b4b3e537c60b";
    private static final String NAMESPACE = "eqlwatchbench";
    /** The indexed events span this long: inside the SMB rule's 9-minute look-back, as one run's window. */
    private static final double ES_SPAN_SECONDS = 500;

    @Option(
            names = "--events",
            defaultValue = "1000000",
            paramLabel = "N",
            description = "Events per iteration of the in-memory benchmark (default ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--hosts",
            defaultValue = "5000",
            paramLabel = "N",
            description = "Hosts the events come from (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(
            names = "--attack-rate",
            defaultValue = "0.0001",
            paramLabel = "P",
            description = "Chance that an event starts a planted SMB tool transfer (default ${DEFAULT-VALUE}).")
    double attackRate;

    @Option(
            names = "--candidate-rate",
            defaultValue = "0.01",
            paramLabel = "P",
            description = "Chance that an event is an inbound SMB connection by System that completes no sequence"
                    + " (default ${DEFAULT-VALUE}). The rest is noise that no stage accepts.")
    double candidateRate;

    @Option(
            names = "--events-per-second",
            defaultValue = "2000",
            paramLabel = "R",
            description = "Simulated event rate: sets the time the stream spans (default ${DEFAULT-VALUE}).")
    double eventsPerSecond;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the stream (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--warmup",
            defaultValue = "1",
            paramLabel = "N",
            description = "Warm-up iterations, not reported (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--iterations",
            defaultValue = "5",
            paramLabel = "N",
            description = "Measured iterations; medians are reported (default ${DEFAULT-VALUE}). 0 skips the"
                    + " in-memory benchmark.")
    int iterations;

    @Option(
            names = "--rule",
            defaultValue = "rules/lateral_tool_transfer_smb.yml",
            paramLabel = "FILE",
            description = "Rule to run (default ${DEFAULT-VALUE}). Matches are checked against the planted transfers"
                    + " only for the SMB rule (rule_id " + SMB_RULE_ID + ").")
    Path rule;

    @Mixin
    ConnectionOptions connection;

    @Option(
            names = "--local-es",
            description = "Start a local Elasticsearch (as the demo does) for the execution benchmark.")
    boolean localEs;

    @Option(
            names = "--es-version",
            defaultValue = "8.19.21",
            paramLabel = "VERSION",
            description = "With --local-es: the version to start (default ${DEFAULT-VALUE}).")
    String esVersion;

    @Option(
            names = "--es-events",
            defaultValue = "1000000",
            paramLabel = "M",
            description = "Events to index for the execution benchmark (default ${DEFAULT-VALUE}). They span the"
                    + " 500 s before the execution, inside the SMB rule's 9-minute look-back.")
    long esEvents;

    @Option(
            names = "--es-hosts",
            defaultValue = "2000",
            paramLabel = "N",
            description = "Hosts the indexed events come from (default ${DEFAULT-VALUE}).")
    int esHosts;

    @Option(
            names = "--es-candidate-rate",
            defaultValue = "0.09",
            paramLabel = "P",
            description = "Candidate rate of the indexed events (default ${DEFAULT-VALUE}: about 9%% of the events"
                    + " pass the SMB rule's push-down, as inbound SMB by System does on a busy file server).")
    double esCandidateRate;

    @Option(
            names = "--es-iterations",
            defaultValue = "3",
            paramLabel = "K",
            description = "Timed rounds after one warm-up round; each round runs a bare candidate scan, then a"
                    + " full execution; medians are reported (default ${DEFAULT-VALUE}).")
    int esIterations;

    @Option(
            names = "--es-no-push-down",
            description =
                    "Also time a read of every indexed event without the" + " push-down filter (slow on large loads).")
    boolean esNoPushDown;

    @Option(
            names = "--page-size",
            defaultValue = "10000",
            paramLabel = "N",
            description = "Events per search page of the execution (default ${DEFAULT-VALUE}, as a run's).")
    int pageSize;

    @Option(
            names = "--source",
            defaultValue = "auto",
            converter = EngineOptions.SourceChoiceConverter.class,
            description = "What the execution's pages fetch of each event, as a run's --source: 'auto',"
                    + " 'filtered' or 'whole' (default ${DEFAULT-VALUE}).")
    SourceChoice source;

    @Option(
            names = "--es-bulk-size",
            defaultValue = "" + PushDownBenchmark.BULK_DOCUMENTS,
            paramLabel = "N",
            description = "Events per bulk request while indexing (default ${DEFAULT-VALUE}).")
    int esBulkSize;

    @Option(
            names = "--es-bulks-in-flight",
            defaultValue = "" + PushDownBenchmark.BULKS_IN_FLIGHT,
            paramLabel = "N",
            description = "Bulk requests sent at once while indexing (default ${DEFAULT-VALUE}).")
    int esBulksInFlight;

    @Option(
            names = "--es-heap",
            defaultValue = "1g",
            paramLabel = "SIZE",
            description = "With --local-es: the node's heap (default ${DEFAULT-VALUE}).")
    String esHeap;

    @Option(
            names = "--rules",
            paramLabel = "DIR",
            description = "Also time every enabled rule of DIR (e.g. Elastic's prebuilt rules, imported) executed"
                    + " together as `once` executes them, beside the --rule alone executed the same way, alternating,"
                    + " over the indexed events; medians and their ratio are reported. Each rule reads the benchmark's"
                    + " copy of its index patterns: logs-endpoint.events.* becomes eqlwatch-bench-endpoint.events.*.")
    Path rulesDir;

    @Option(
            names = "--reuse-index",
            description = "Use the benchmark indices an earlier --keep-index run left when they hold exactly the events"
                    + " this run would index (same --es-events, --es-hosts, rates and seed), instead of indexing"
                    + " again; they are kept afterwards.")
    boolean reuseIndex;

    @Option(
            names = "--keep-index",
            description = "Keep the benchmark indices (eqlwatch-bench-endpoint.events.*-" + NAMESPACE + ") afterwards.")
    boolean keepIndex;

    @Spec
    CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        boolean esUrlGiven = spec.commandLine().getParseResult().hasMatchedOption("--es-url");
        if (esUrlGiven && localEs) {
            throw new UserFacingException("give either --es-url (an existing cluster) or --local-es, not both");
        }
        if (warmup < 0 || iterations < 0 || esIterations < 1) {
            throw new UserFacingException("--warmup and --iterations must be >= 0, --es-iterations >= 1");
        }
        if (esBulkSize < 1 || esBulksInFlight < 1) {
            throw new UserFacingException("--es-bulk-size and --es-bulks-in-flight must be >= 1");
        }
        Rule loaded = new RuleLoader().loadFile(rule);
        boolean check = SMB_RULE_ID.equals(loaded.ruleId());
        Workload workload;
        try {
            workload = new Workload(events, hosts, attackRate, candidateRate, eventsPerSecond, null, seed);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage());
        }
        out.println("eqlwatch bench: rule \"" + loaded.name() + "\" (" + rule + ")");
        out.println("JVM " + System.getProperty("java.vm.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, max heap " + mb(HeapWatch.maxHeap()));
        out.println();
        boolean ok = true;
        if (iterations > 0) {
            ok = engine(loaded, workload, check);
        }
        if (esUrlGiven || localEs) {
            Workload indexed;
            try {
                indexed = new Workload(
                        esEvents,
                        esHosts,
                        attackRate,
                        esCandidateRate,
                        Math.max(1, esEvents / ES_SPAN_SECONDS),
                        null,
                        seed);
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(e.getMessage());
            }
            ok &= elasticsearch(loaded, indexed, check);
        }
        out.flush();
        return ok ? 0 : 1;
    }

    // ---- in memory

    private boolean engine(Rule loaded, Workload workload, boolean check) {
        EngineBenchmark bench =
                new EngineBenchmark(loaded.query(), DefendFieldTypes.of(), loaded.eventCategoryField(), check);
        out.printf(
                Locale.ROOT,
                "In-memory engine: %,d events a pass, %,d hosts, attack rate %s, candidate rate %s,"
                        + " seed %d; %d warm-up + %d measured pass(es)%n",
                workload.events(),
                workload.hosts(),
                plain(workload.attackRate()),
                plain(workload.candidateRate()),
                workload.seed(),
                warmup,
                iterations);
        out.flush();
        boolean ok = true;
        for (int i = 0; i < warmup; i++) {
            EngineBenchmark.Iteration it = bench.run(workload);
            ok &= reportMismatch("warm-up " + (i + 1), it.mismatch(), it.checked());
            out.printf(Locale.ROOT, "  warm-up %d: %s%n", i + 1, line(it));
            out.flush();
        }
        List<EngineBenchmark.Iteration> runs = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            EngineBenchmark.Iteration it = bench.run(workload);
            runs.add(it);
            ok &= reportMismatch("pass " + (i + 1), it.mismatch(), it.checked());
            out.printf(Locale.ROOT, "  pass %d:    %s%n", i + 1, line(it));
            out.flush();
        }
        EngineBenchmark.Iteration last = runs.get(runs.size() - 1);
        SyntheticEventStream.Tally tally = last.tally();
        out.println();
        out.printf(
                Locale.ROOT,
                "  stream:        %,d events over %s simulated: %,d noise, %,d stage-1 candidates,"
                        + " %,d planted transfers%s%n",
                tally.events(),
                seconds(tally.spanMillis()),
                tally.noise(),
                tally.candidates(),
                tally.planted(),
                tally.noFreeHost() > 0
                        ? " (" + tally.noFreeHost() + " scenarios found no free host and became noise)"
                        : "");
        out.printf(
                Locale.ROOT,
                "  throughput:    %,.0f events/s, %.0f ns/event, %.0f ns/event of CPU (medians;"
                        + " generator excluded; with it %,.0f events/s)%n",
                median(runs, EngineBenchmark.Iteration::eventsPerSecond),
                median(runs, EngineBenchmark.Iteration::nanosPerEvent),
                median(runs, EngineBenchmark.Iteration::cpuNanosPerEvent),
                median(runs, EngineBenchmark.Iteration::endToEndEventsPerSecond));
        out.printf(
                Locale.ROOT,
                "  matches:       %,d found, %s%n",
                last.counters().matchesFound(),
                last.checked()
                        ? (last.mismatch() == null
                                ? "= " + tally.planted() + " planted: OK"
                                : "MISMATCH: " + last.mismatch())
                        : "not checked (the generator plants the SMB rule's sequences)");
        out.printf(
                Locale.ROOT,
                "  pending:       peak %,d sequences in flight%n",
                runs.stream()
                        .mapToLong(r -> r.counters().peakPendingSequences())
                        .max()
                        .orElse(0));
        out.printf(
                Locale.ROOT,
                "  heap:          peak live after GC %s (median), peak used %s (median, garbage"
                        + " included), max heap %s%n",
                mb((long) median(runs, r -> r.peakLiveHeap())),
                mb((long) median(runs, r -> r.peakUsedHeap())),
                mb(HeapWatch.maxHeap()));
        out.println();
        return ok;
    }

    private String line(EngineBenchmark.Iteration it) {
        return String.format(
                Locale.ROOT,
                "%,10.0f events/s %6.0f ns/event (CPU %5.0f), %,d matches, peak %,d pending,"
                        + " heap peak live %s / used %s, %d GCs (%d ms)",
                it.eventsPerSecond(),
                it.nanosPerEvent(),
                it.cpuNanosPerEvent(),
                it.counters().matchesFound(),
                it.counters().peakPendingSequences(),
                mb(it.peakLiveHeap()),
                mb(it.peakUsedHeap()),
                it.collections(),
                it.gcPauseMillis());
    }

    // ---- against Elasticsearch

    private boolean elasticsearch(Rule loaded, Workload workload, boolean check) {
        if (localEs) {
            out.println("Starting Elasticsearch " + esVersion + " on loopback (about 20 seconds)...");
            out.flush();
            LocalElasticsearch local;
            try {
                local = LocalElasticsearch.builder(esVersion).heap(esHeap).start();
            } catch (RuntimeException e) {
                throw new UserFacingException(
                        "cannot start a local Elasticsearch: " + e.getMessage()
                                + "\n  (run `mvn package` first: it fetches the Elasticsearch distribution)",
                        e);
            }
            try (local) {
                ElasticsearchConnection conn = ElasticsearchConnection.of(local.url());
                return againstCluster(loaded, workload, check, conn);
            }
        }
        return againstCluster(loaded, workload, check, ConnectedServices.connection(connection));
    }

    private boolean againstCluster(Rule loaded, Workload workload, boolean check, ElasticsearchConnection conn) {
        ElasticsearchClient client = ElasticsearchClients.create(conn);
        PushDownBenchmark bench = new PushDownBenchmark(client, conn.url(), pageSize, esBulkSize, esBulksInFlight);
        PushDownBenchmark.Load load = null;
        try {
            out.printf(
                    Locale.ROOT,
                    "Rule execution against Elasticsearch at %s: indexing %,d events into %s...%n",
                    conn.url(),
                    workload.events(),
                    "eqlwatch-bench-endpoint.events.{network,file}-" + NAMESPACE);
            out.flush();
            Optional<PushDownBenchmark.Load> kept = reuseIndex ? bench.reuse(workload, NAMESPACE) : Optional.empty();
            if (kept.isPresent()) {
                load = kept.get();
                out.printf(
                        Locale.ROOT,
                        "  reused:        %,d events an earlier run indexed, %,d planted transfers%n",
                        load.events(),
                        load.stream().tally().planted());
            } else {
                load = bench.load(workload, NAMESPACE);
                out.printf(
                        Locale.ROOT,
                        "  indexed:       %,d events in %s (%,.0f events/s; bulks of %,d, %d in flight), %,d planted"
                                + " transfers; force-merged to one segment in %s%n",
                        load.events(),
                        seconds(load.nanos() / 1_000_000),
                        load.events() * 1e9 / load.nanos(),
                        esBulkSize,
                        esBulksInFlight,
                        load.stream().tally().planted(),
                        seconds(load.mergeNanos() / 1_000_000));
            }
            boolean ok = true;
            // Warm-up (JIT, the node's caches), and the exact check: the matches are the planted transfers.
            PushDownBenchmark.Read one = bench.detect(loaded, load, check);
            ok &= reportMismatch("execution", one.mismatch(), check);
            out.printf(
                    Locale.ROOT,
                    "  matches:       %,d found, %s%n",
                    one.matches(),
                    !check
                            ? "not checked"
                            : one.mismatch() == null
                                    ? "= " + load.stream().tally().planted() + " planted: OK"
                                    : "MISMATCH: " + one.mismatch());
            ok &= sideBySide(client, conn, loaded, load, check);
            if (rulesDir != null) {
                ok &= allRules(client, conn, loaded, load, check);
            }
            if (esNoPushDown) {
                PushDownBenchmark.Read all = bench.readAll(loaded, load, check);
                ok &= reportMismatch("read without push-down", all.mismatch(), check);
                out.printf(
                        Locale.ROOT,
                        "  no push-down:  %s to read all %,d events and match them (%,.0f events read/s,"
                                + " %,d matches)%n",
                        seconds(all.nanos() / 1_000_000),
                        all.eventsRead(),
                        all.eventsPerSecond(),
                        all.matches());
            }
            out.println();
            return ok;
        } catch (ElasticsearchCallException e) {
            throw new UserFacingException(e.getMessage(), e);
        } finally {
            if (load != null && !keepIndex && !reuseIndex) {
                bench.delete(load);
            }
            try {
                client._transport().close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }

    /** K rounds of a bare candidate scan then a full execution, and their medians side by side. */
    private boolean sideBySide(
            ElasticsearchClient client,
            ElasticsearchConnection conn,
            Rule loaded,
            PushDownBenchmark.Load load,
            boolean check) {
        SourceFetch fetch = source.forCluster(conn.url());
        ScanVersusExecution bench = new ScanVersusExecution(client, conn.url(), pageSize, fetch);
        Rule rule = ScanVersusExecution.benchRule(loaded, load);
        long planted = load.stream().tally().planted();
        try {
            long candidates = bench.candidates(rule, load);
            out.printf(
                    Locale.ROOT,
                    "  candidates:    %,d of %,d events pass the rule's push-down filter (%.1f%%)%n",
                    candidates,
                    load.events(),
                    100.0 * candidates / load.events());
            out.printf(
                    Locale.ROOT,
                    "  side by side:  1 warm-up + %d round(s) of a bare candidate scan (point in time,"
                            + " search_after, page %,d, full _source) and a full execution (fresh alerts and state index,"
                            + " page %,d, %s sources (--source %s), timed by its own took)%n",
                    esIterations,
                    ScanVersusExecution.SCAN_PAGE_SIZE,
                    pageSize,
                    fetch.name().toLowerCase(Locale.ROOT),
                    source);
            out.flush();
            bench.scan(rule, load);
            bench.execute(rule, load, "warmup");
            double[] scans = new double[esIterations];
            double[] executions = new double[esIterations];
            ScanVersusExecution.Execution last = null;
            boolean ok = true;
            long peakUsed = 0;
            long peakLive = 0;
            for (int i = 0; i < esIterations; i++) {
                ScanVersusExecution.Scan scan = bench.scan(rule, load);
                ScanVersusExecution.Execution execution = bench.execute(rule, load, Integer.toString(i));
                scans[i] = scan.nanos();
                executions[i] = execution.nanos();
                peakUsed = Math.max(peakUsed, execution.peakUsedHeap());
                peakLive = Math.max(peakLive, execution.peakLiveHeap());
                last = execution;
                out.printf(
                        Locale.ROOT,
                        "  round %d:       scan %s (%,d docs), execution %s (%,d events read, %,d alerts"
                                + " written)%s%n",
                        i + 1,
                        seconds(scan.nanos() / 1_000_000),
                        scan.documents(),
                        seconds(execution.nanos() / 1_000_000),
                        execution.summary().eventsRead(),
                        execution.summary().alertsWritten(),
                        execution.summary().failed()
                                ? " FAILED: " + execution.summary().error()
                                : "");
                out.flush();
                if (check
                        && (execution.summary().failed() || execution.summary().alertsWritten() != planted)) {
                    ok &= reportMismatch(
                            "execution " + (i + 1),
                            execution.summary().alertsWritten() + " alerts written, " + planted + " transfers planted",
                            true);
                }
            }
            double scan = medianOf(scans);
            double execution = medianOf(executions);
            out.printf(Locale.ROOT, "  bare scan:     %s (median)%n", seconds((long) (scan / 1e6)));
            out.printf(
                    Locale.ROOT,
                    "  execution:     %s (median): %.2fx the bare scan%n",
                    seconds((long) (execution / 1e6)),
                    execution / scan);
            out.printf(
                    Locale.ROOT,
                    "  docs fetched:  %,d by the execution for %,d true candidates (%.2fx)%n",
                    last.summary().eventsRead(),
                    candidates,
                    (double) last.summary().eventsRead() / Math.max(1, candidates));
            out.printf(
                    Locale.ROOT,
                    "  heap:          during executions peak used %s, peak live after GC %s, max heap %s%n",
                    mb(peakUsed),
                    mb(peakLive),
                    mb(HeapWatch.maxHeap()));
            return ok;
        } catch (IOException e) {
            throw new UserFacingException(
                    "the side-by-side benchmark failed against " + conn.url() + ": " + e.getMessage(), e);
        }
    }

    /** K rounds of the --rule alone then every rule of --rules, both as one `once` batch, and their medians. */
    private boolean allRules(
            ElasticsearchClient client,
            ElasticsearchConnection conn,
            Rule loaded,
            PushDownBenchmark.Load load,
            boolean check) {
        RuleSet set = new RuleLoader().load(rulesDir);
        Rule alone = ScanVersusExecution.onBenchCopies(loaded).toBuilder()
                .maxSignals(Integer.MAX_VALUE)
                .build();
        List<Rule> all = new ArrayList<>();
        all.add(alone);
        int disabled = 0;
        for (Rule r : set.rules()) {
            if (!r.enabled()) {
                disabled++;
            } else if (!r.ruleId().equals(loaded.ruleId())) {
                all.add(ScanVersusExecution.onBenchCopies(r));
            }
        }
        long planted = load.stream().tally().planted();
        out.printf(
                Locale.ROOT,
                "  all rules:     %,d enabled rules of %s (%,d disabled, %,d files not loadable), the --rule among"
                        + " them, executed together as `once` does, beside the --rule alone; 1 warm-up + %d round(s)%n",
                all.size(),
                rulesDir,
                disabled,
                set.problems().size(),
                esIterations);
        out.flush();
        ScanVersusExecution bench =
                new ScanVersusExecution(client, conn.url(), pageSize, source.forCluster(conn.url()));
        try {
            printCensus(bench.census(all, load));
            bench.executeBatch(List.of(alone), load, "alone-warmup");
            bench.executeBatch(all, load, "all-warmup");
            double[] alones = new double[esIterations];
            double[] alls = new double[esIterations];
            boolean ok = true;
            long peakUsed = 0;
            long peakLive = 0;
            for (int i = 0; i < esIterations; i++) {
                ScanVersusExecution.Batch one = bench.executeBatch(List.of(alone), load, "alone-" + i);
                ScanVersusExecution.Batch every = bench.executeBatch(all, load, "all-" + i);
                alones[i] = one.nanos();
                alls[i] = every.nanos();
                peakUsed = Math.max(peakUsed, every.peakUsedHeap());
                peakLive = Math.max(peakLive, every.peakLiveHeap());
                ExecutionSummary mine = every.summaries().get(0);
                List<ExecutionSummary> failed = every.summaries().stream()
                        .filter(ExecutionSummary::failed)
                        .toList();
                out.printf(
                        Locale.ROOT,
                        "  round %d:       alone %s (%,d alerts), all %s (%,d rules, %,d events read in all, %,d alerts"
                                + " in all, %,d of them the --rule's, %,d rules failed%s)%n",
                        i + 1,
                        seconds(one.nanos() / 1_000_000),
                        one.summaries().get(0).alertsWritten(),
                        seconds(every.nanos() / 1_000_000),
                        every.summaries().size(),
                        every.summaries().stream()
                                .mapToLong(ExecutionSummary::eventsRead)
                                .sum(),
                        every.summaries().stream()
                                .mapToLong(ExecutionSummary::alertsWritten)
                                .sum(),
                        mine.alertsWritten(),
                        failed.size(),
                        failed.isEmpty()
                                ? ""
                                : ", e.g. " + failed.get(0).ruleName() + ": "
                                        + failed.get(0).error());
                every.summaries().stream()
                        .sorted(Comparator.comparingLong(ExecutionSummary::eventsRead)
                                .reversed())
                        .limit(5)
                        .filter(summary -> summary.eventsRead() > 0)
                        .forEach(summary -> out.printf(
                                Locale.ROOT,
                                "    %,11d events read, %,6d ms: %s%n",
                                summary.eventsRead(),
                                summary.took().toMillis(),
                                summary.ruleName()));
                out.flush();
                if (check
                        && (mine.alertsWritten() != planted
                                || one.summaries().get(0).alertsWritten() != planted)) {
                    ok &= reportMismatch(
                            "all rules, round " + (i + 1),
                            "the --rule wrote " + one.summaries().get(0).alertsWritten() + " alerts alone and "
                                    + mine.alertsWritten() + " among all, " + planted + " transfers planted",
                            true);
                }
            }
            double one = medianOf(alones);
            double every = medianOf(alls);
            out.printf(Locale.ROOT, "  rule alone:    %s (median)%n", seconds((long) (one / 1e6)));
            out.printf(
                    Locale.ROOT,
                    "  all rules:     %s (median): %.2fx the rule alone; heap peak used %s, peak live after GC %s%n",
                    seconds((long) (every / 1e6)),
                    every / one,
                    mb(peakUsed),
                    mb(peakLive));
            return ok;
        } catch (IOException e) {
            throw new UserFacingException(
                    "the all-rules benchmark failed against " + conn.url() + ": " + e.getMessage(), e);
        }
    }

    /** The rules whose own reads would fetch the most, so a slow batch can be traced to its broad filters. */
    private void printCensus(List<ScanVersusExecution.RuleRead> reads) {
        List<ScanVersusExecution.RuleRead> widest = reads.stream()
                .sorted(Comparator.comparingLong(ScanVersusExecution.RuleRead::candidates)
                        .reversed())
                .toList();
        out.printf(
                Locale.ROOT,
                "  own reads:     %,d rules read something alone, %,d documents in all, counted in %s%n",
                widest.stream().filter(r -> r.candidates() > 0).count(),
                widest.stream()
                        .mapToLong(ScanVersusExecution.RuleRead::candidates)
                        .sum(),
                seconds(widest.stream()
                                .mapToLong(ScanVersusExecution.RuleRead::nanos)
                                .sum()
                        / 1_000_000));
        for (ScanVersusExecution.RuleRead read : widest.subList(0, Math.min(15, widest.size()))) {
            if (read.candidates() > 0) {
                out.printf(
                        Locale.ROOT,
                        "    %,11d documents, counted in %,6d ms: %s%n",
                        read.candidates(),
                        read.nanos() / 1_000_000,
                        read.rule().name());
            }
        }
        out.flush();
    }

    // ---- formatting

    private boolean reportMismatch(String what, String mismatch, boolean checked) {
        if (!checked || mismatch == null) {
            return true;
        }
        spec.commandLine()
                .getErr()
                .println("eqlwatch bench: " + what + ": the matches are not the planted transfers: " + mismatch);
        spec.commandLine().getErr().flush();
        return false;
    }

    private static double median(
            List<EngineBenchmark.Iteration> runs, ToDoubleFunction<EngineBenchmark.Iteration> value) {
        return medianOf(runs.stream().mapToDouble(value).toArray());
    }

    private static double medianOf(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String plain(double rate) {
        return BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / (1024.0 * 1024.0));
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
