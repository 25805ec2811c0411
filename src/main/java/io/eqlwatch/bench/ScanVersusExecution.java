package io.eqlwatch.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.alert.AlertIndexException;
import io.eqlwatch.alert.AlertIndexInstaller;
import io.eqlwatch.alert.AlertIndexSettings;
import io.eqlwatch.alert.AlertWriter;
import io.eqlwatch.eql.dsl.ReadFilter;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.schedule.BatchExecutor;
import io.eqlwatch.schedule.ElasticsearchRunStateStore;
import io.eqlwatch.schedule.ExecutionSummary;
import io.eqlwatch.schedule.RuleExecutor;
import io.eqlwatch.schedule.RunLoop;
import io.eqlwatch.schedule.WindowDetection;
import io.eqlwatch.schedule.WindowPlanner;
import io.eqlwatch.source.EventReader;
import io.eqlwatch.source.FieldMappings;
import io.eqlwatch.source.SourceFetch;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/**
 * A rule execution beside the cheapest read of its input, in the same run, on the same loaded indices: the
 * bare scan is a point in time paged with {@code search_after} over exactly the documents the rule's push-down
 * filter lets through, full {@code _source}, nothing done with a hit but find its sort values; the execution is
 * what {@code eqlwatch once} does for the rule (mappings, read, match, alerts written, checkpoint and history),
 * on a fresh alerts index and state index each time, timed by its own {@code took}. Their ratio says what the
 * execution costs beyond reading what it must read.
 */
public final class ScanVersusExecution {

    /** Page size of the bare scan: the largest a search allows, the cheapest way to page. */
    public static final int SCAN_PAGE_SIZE = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory STREAMING = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .build())
            .build();

    private final ElasticsearchClient client;
    private final String cluster;
    private final int pageSize;
    private final SourceFetch sourceFetch;

    /**
     * @param pageSize    the execution's page size (as {@code --page-size} sets it for a run)
     * @param sourceFetch what the execution's pages fetch of {@code _source} (as {@code --source} sets it)
     */
    public ScanVersusExecution(ElasticsearchClient client, String cluster, int pageSize, SourceFetch sourceFetch) {
        this.client = client;
        this.cluster = cluster;
        this.pageSize = pageSize;
        this.sourceFetch = sourceFetch;
    }

    /** One bare scan: documents returned and time taken. */
    public record Scan(long documents, long nanos) {}

    /**
     * One execution.
     *
     * @param summary       what the execution reported
     * @param peakUsedHeap  heap in use at its highest during the execution, garbage included (sampled every 10 ms)
     * @param peakLiveHeap  heap in use right after a collection, at its highest (0 if none ran)
     */
    public record Execution(ExecutionSummary summary, long peakUsedHeap, long peakLiveHeap) {

        public long nanos() {
            return summary.took().toNanos();
        }
    }

    /**
     * The rule as the benchmark runs it: on the loaded indices, looking back far enough to cover them from
     * {@link #now}, and with no cap on alerts, so that every planted transfer can be written and counted.
     */
    public static Rule benchRule(Rule rule, PushDownBenchmark.Load load) {
        Rule r = PushDownBenchmark.withIndices(rule, load.indices());
        Duration span = Duration.between(load.window().start(), load.window().end());
        Duration lookBack = r.lookBack().compareTo(span.plusMinutes(1)) >= 0 ? r.lookBack() : span.plusMinutes(1);
        return r.toBuilder().lookBack(lookBack).maxSignals(Integer.MAX_VALUE).build();
    }

    /**
     * A rule as the all-rules benchmark runs it: reading the benchmark's copy of each of its index patterns, so
     * that {@code logs-endpoint.events.*} meets the loaded indices as it meets Elastic Defend's on a real cluster,
     * and patterns of other sources ({@code logs-windows.*}, {@code winlogbeat-*}) meet nothing, as there.
     */
    public static Rule onBenchCopies(Rule rule) {
        List<String> patterns = rule.index().stream()
                .map(p -> SyntheticEventStream.INDEX_PREFIX + (p.startsWith("logs-") ? p.substring(5) : p))
                .toList();
        return rule.toBuilder().index(patterns).build();
    }

    /** The instant the execution acts at: just after the last loaded event, so its window covers them all. */
    public static Instant now(PushDownBenchmark.Load load) {
        return load.window().end().plusSeconds(30);
    }

    /** How many documents of the load pass the rule's push-down filter: the true candidates. */
    public long candidates(Rule benchRule, PushDownBenchmark.Load load) {
        ObjectNode query = candidateQuery(benchRule, load);
        String json = query.toString();
        return RetryPolicy.DEFAULT
                .run(
                        "Counting the candidates in " + load.indices(),
                        () -> client.count(c -> c.index(load.indices()).query(q -> q.withJson(new StringReader(json)))))
                .count();
    }

    /**
     * What one rule's own read would fetch over its window from {@link #now}: the documents its push-down filter
     * lets through (all of its window when it has none), and how long the cluster took to count them.
     */
    public record RuleRead(Rule rule, long candidates, long nanos) {}

    /**
     * Each rule's {@link RuleRead}, one {@code _count} a rule, so that a batch whose shared reads fetch much more
     * than one rule's can be traced to the rules whose filters let most of the window through.
     */
    public List<RuleRead> census(List<Rule> rules, PushDownBenchmark.Load load) {
        Instant now = now(load);
        Map<List<String>, FieldTypes> typesOf = new HashMap<>();
        List<RuleRead> reads = new ArrayList<>();
        for (Rule rule : rules) {
            FieldTypes types = typesOf.computeIfAbsent(
                    rule.index(), patterns -> new FieldMappings(client, cluster).read(patterns));
            RulePlan plan;
            try {
                plan = Planner.plan(rule, types, now);
            } catch (RuntimeException e) {
                continue;
            }
            String json = ReadFilter.inWindow(
                            plan.query().readFilter(),
                            plan.read().windowField(),
                            now.minus(rule.lookBack()).toString(),
                            now.toString(),
                            "strict_date_optional_time_nanos")
                    .toString();
            long start = System.nanoTime();
            long count = RetryPolicy.DEFAULT
                    .run(
                            "Counting the candidates of " + rule.name(),
                            () -> client.count(c -> c.index(rule.index())
                                    .ignoreUnavailable(true)
                                    .allowNoIndices(true)
                                    .query(q -> q.withJson(new StringReader(json)))))
                    .count();
            reads.add(new RuleRead(rule, count, System.nanoTime() - start));
        }
        return reads;
    }

    /** The bare scan: point in time, {@code search_after}, the rule's push-down, full {@code _source}. */
    public Scan scan(Rule benchRule, PushDownBenchmark.Load load) throws IOException {
        RestClient rest = ((RestClientTransport) client._transport()).restClient();
        ObjectNode query = candidateQuery(benchRule, load);
        long start = System.nanoTime();
        String pit = client.openPointInTime(p -> p.index(load.indices()).keepAlive(t -> t.time("2m")))
                .id();
        long documents = 0;
        try {
            ArrayNode after = null;
            while (true) {
                ObjectNode body = JSON.createObjectNode();
                body.putObject("pit").put("id", pit).put("keep_alive", "2m");
                body.put("size", SCAN_PAGE_SIZE).put("track_total_hits", false);
                body.set("query", query);
                ArrayNode sort = body.putArray("sort");
                sort.addObject().putObject(benchRule.timestampField()).put("order", "asc");
                sort.addObject().putObject("_shard_doc").put("order", "asc");
                if (after != null) {
                    body.set("search_after", after);
                }
                Request request = new Request("POST", "/_search");
                request.setJsonEntity(body.toString());
                Response response = rest.performRequest(request);
                PageEnd end;
                try (InputStream in = response.getEntity().getContent()) {
                    end = lastSort(in);
                }
                documents += end.hits();
                pit = end.pitId() == null ? pit : end.pitId();
                if (end.hits() < SCAN_PAGE_SIZE) {
                    break;
                }
                after = end.lastSort();
            }
        } finally {
            String id = pit;
            client.closePointInTime(c -> c.id(id));
        }
        return new Scan(documents, System.nanoTime() - start);
    }

    /**
     * One execution as {@code once} runs it, on a fresh alerts index and state index (created before and
     * deleted after, neither timed).
     *
     * @param tag makes the index names unique to this execution
     */
    public Execution execute(Rule benchRule, PushDownBenchmark.Load load, String tag) throws IOException {
        Batch run = onFreshIndices(tag, executor -> List.of(executor.execute(benchRule, now(load))));
        return new Execution(run.summaries().get(0), run.peakUsedHeap(), run.peakLiveHeap());
    }

    /**
     * Rules executed together as {@code once} executes them ({@link BatchExecutor}: one state read, mappings
     * once per index pattern list, one shared read for the rules over the same indices and window), on a fresh
     * alerts index and state index.
     *
     * @param nanos the whole batch, from the state read to the last rule's checkpoint
     */
    public record Batch(List<ExecutionSummary> summaries, long nanos, long peakUsedHeap, long peakLiveHeap) {}

    /** The rules as one batch, acting at {@link #now}; see {@link Batch}. */
    public Batch executeBatch(List<Rule> rules, PushDownBenchmark.Load load, String tag) throws IOException {
        return onFreshIndices(
                tag, executor -> new BatchExecutor(executor, new EventReader(client, cluster, sourceFetch), pageSize)
                        .execute(rules, now(load)));
    }

    private Batch onFreshIndices(String tag, Function<RuleExecutor, List<ExecutionSummary>> run) throws IOException {
        AlertIndexSettings alerts = AlertIndexSettings.named("eqlwatch-bench-alerts-" + tag);
        String stateIndex = "eqlwatch-bench-state-" + tag;
        try {
            new AlertIndexInstaller(client, alerts).install();
        } catch (AlertIndexException e) {
            throw new IllegalStateException("cannot create the benchmark's alerts index: " + e.getMessage(), e);
        }
        ElasticsearchRunStateStore state = new ElasticsearchRunStateStore(client, stateIndex);
        state.install();
        FieldMappings mappings = new FieldMappings(client, cluster);
        RunLoop loop = new RunLoop(
                new WindowDetection(new EventReader(client, cluster, sourceFetch), pageSize), alerts.spaceId());
        RuleExecutor executor = new RuleExecutor(
                mappings,
                loop,
                new AlertWriter(
                        client, alerts.name(), AlertWriter.Options.defaults().withRefreshWaitFor(true)),
                state,
                new WindowPlanner(Duration.ofHours(24)),
                Clock.systemUTC(),
                List.of());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-heap-sampler");
            t.setDaemon(true);
            return t;
        });
        try (HeapWatch heap = HeapWatch.start()) {
            sampler.scheduleAtFixedRate(heap::sample, 0, 10, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            List<ExecutionSummary> summaries = run.apply(executor);
            long nanos = System.nanoTime() - start;
            sampler.shutdown();
            awaitQuietly(sampler);
            heap.sample();
            return new Batch(summaries, nanos, heap.peakUsed(), heap.peakAfterGc());
        } finally {
            sampler.shutdownNow();
            // by name: a cluster may refuse wildcard deletes (action.destructive_requires_name)
            List<String> created = List.copyOf(client.indices()
                    .get(g -> g.index(alerts.name() + "*", stateIndex + "*")
                            .allowNoIndices(true)
                            .ignoreUnavailable(true))
                    .result()
                    .keySet());
            if (!created.isEmpty()) {
                client.indices().delete(d -> d.index(created));
            }
            client.indices().deleteIndexTemplate(d -> d.name(alerts.templateName()));
        }
    }

    private static void awaitQuietly(ScheduledExecutorService sampler) {
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The rule's push-down filter within the load's time range, as the execution's read sends it. */
    private ObjectNode candidateQuery(Rule benchRule, PushDownBenchmark.Load load) {
        RulePlan plan = Planner.plan(benchRule, new FieldMappings(client, cluster).read(benchRule.index()));
        return ReadFilter.inWindow(
                plan.query().readFilter(),
                benchRule.timestampField(),
                load.window().start().toString(),
                load.window().end().toString(),
                "strict_date_optional_time_nanos");
    }

    private record PageEnd(String pitId, int hits, ArrayNode lastSort) {}

    /** Walks a search response without building it: only the hit count, the last sort values and the pit id. */
    private static PageEnd lastSort(InputStream body) throws IOException {
        try (JsonParser parser = STREAMING.createParser(body)) {
            String pitId = null;
            int hits = 0;
            ArrayNode lastSort = null;
            int depth = 0;
            boolean inHitArray = false;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    if (depth == 1 && name.equals("pit_id")) {
                        parser.nextToken();
                        pitId = parser.getText();
                    } else if (depth == 2 && name.equals("hits")) {
                        if (parser.nextToken() == JsonToken.START_ARRAY) {
                            inHitArray = true;
                            depth++;
                        }
                    } else if (inHitArray && depth == 4 && name.equals("sort")) {
                        parser.nextToken();
                        lastSort = JSON.readTree(parser);
                        hits++;
                    } else if (inHitArray && depth == 4) {
                        parser.nextToken();
                        parser.skipChildren();
                    }
                } else if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                    if (inHitArray && depth == 2) {
                        inHitArray = false;
                    }
                }
            }
            return new PageEnd(pitId, hits, lastSort);
        }
    }
}
