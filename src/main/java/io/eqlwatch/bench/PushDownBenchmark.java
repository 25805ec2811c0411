package io.eqlwatch.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.indices.TranslogDurability;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.eqlwatch.demo.DefendDataset;
import io.eqlwatch.demo.DefendIndexTemplates;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.QueryPlan;
import io.eqlwatch.plan.ReadSpec;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.schedule.TimeWindow;
import io.eqlwatch.schedule.WindowDetection;
import io.eqlwatch.source.EventReader;
import io.eqlwatch.source.FieldMappings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.elasticsearch.client.RestClient;

/**
 * Measures a rule execution against Elasticsearch: indexes a synthetic workload into two indices with the
 * Elastic Defend-like mappings, then times {@link WindowDetection} over them (point in time, push-down
 * filter, in-memory match, as a scheduled run does) and, for comparison, a read of every event without the
 * push-down. The indices are created by name (no index template is installed, so a real cluster's Fleet
 * templates are left alone) and deleted by {@link #delete}.
 */
public final class PushDownBenchmark {

    /** Documents per bulk request while loading. */
    public static final int BULK_DOCUMENTS = 5_000;
    /** Bulk requests in flight while loading: enough to keep a small node's write threads busy. */
    public static final int BULKS_IN_FLIGHT = 3;

    private final ElasticsearchClient client;
    private final String cluster;
    private final int pageSize;
    private final int bulkDocuments;
    private final int bulksInFlight;

    public PushDownBenchmark(ElasticsearchClient client, String cluster, int pageSize) {
        this(client, cluster, pageSize, BULK_DOCUMENTS, BULKS_IN_FLIGHT);
    }

    /**
     * @param bulkDocuments documents per bulk request while loading
     * @param bulksInFlight bulk requests sent at once while loading
     */
    public PushDownBenchmark(
            ElasticsearchClient client, String cluster, int pageSize, int bulkDocuments, int bulksInFlight) {
        this.client = client;
        this.cluster = cluster;
        this.pageSize = pageSize;
        this.bulkDocuments = bulkDocuments;
        this.bulksInFlight = bulksInFlight;
    }

    /**
     * What was indexed.
     *
     * @param stream the generator after the load: its tally and planted transfers, for checking matches
     * @param indices the two indices written (network, file)
     * @param window      the time range the events span
     * @param nanos       time to index them, the refresh included
     * @param mergeNanos  time to force-merge them to one segment afterwards
     */
    public record Load(
            SyntheticEventStream stream, List<String> indices, TimeWindow window, long nanos, long mergeNanos) {

        public long events() {
            return stream.tally().events();
        }
    }

    /**
     * One timed read.
     *
     * @param eventsRead events that came back from Elasticsearch
     * @param matches    matches the engine found in them
     * @param nanos      time from the first request to the last match
     * @param mismatch   {@code null} when the matches are the planted transfers (or not checked)
     */
    public record Read(long eventsRead, long matches, long nanos, String mismatch) {

        public double eventsPerSecond() {
            return nanos == 0 ? 0 : eventsRead * 1e9 / nanos;
        }
    }

    /**
     * Creates (or re-creates) the two indices of {@code namespace}, indexes the workload into them, then makes
     * them what a read meets on a settled cluster: refreshed and force-merged to one segment per shard.
     */
    public Load load(Workload workload, String namespace) {
        SyntheticEventStream stream = new SyntheticEventStream(workload, namespace);
        List<String> indices = List.of(stream.networkIndex(), stream.fileIndex());
        long start = System.nanoTime();
        RetryPolicy.DEFAULT.run("Deleting old benchmark indices " + indices, () -> client.indices()
                .delete(d -> d.index(indices).ignoreUnavailable(true)));
        DefendIndexTemplates.createIndex(client, stream.networkIndex(), DefendDataset.NETWORK);
        DefendIndexTemplates.createIndex(client, stream.fileIndex(), DefendDataset.FILE);
        // While loading, on these indices only: no refreshes (one at the end makes everything searchable at
        // once) and no fsync of the translog per bulk (a lost load is simply loaded again).
        RetryPolicy.DEFAULT.run("Pausing refresh of " + indices, () -> client.indices()
                .putSettings(s -> s.index(indices).settings(i -> i.refreshInterval(t -> t.time("-1"))
                        .translog(t -> t.durability(TranslogDurability.Async)))));
        new BulkLoader(restClient(), cluster, bulkDocuments, bulksInFlight).load(stream);
        RetryPolicy.DEFAULT.run("Resuming refresh of " + indices, () -> client.indices()
                .putSettings(s -> s.index(indices).settings(i -> i.refreshInterval(t -> t.time("1s"))
                        .translog(t -> t.durability(TranslogDurability.Request)))));
        RetryPolicy.DEFAULT.run("Refreshing " + indices, () -> client.indices().refresh(r -> r.index(indices)));
        long indexed = System.nanoTime();
        forceMerge(indices);
        long merged = System.nanoTime();
        Instant first = workload.start();
        TimeWindow window =
                new TimeWindow(first, first.plusMillis(stream.tally().spanMillis()));
        return new Load(stream, indices, window, indexed - start, merged - indexed);
    }

    /**
     * The load an earlier run left (with {@code --keep-index}), if both indices of {@code namespace} hold exactly
     * the workload's events: the stream is generated again (it is seeded) to know the planted transfers, but
     * nothing is indexed. Empty when the indices are missing or hold something else; they are then loaded anew.
     */
    public Optional<Load> reuse(Workload workload, String namespace) {
        SyntheticEventStream stream = new SyntheticEventStream(workload, namespace);
        List<String> indices = List.of(stream.networkIndex(), stream.fileIndex());
        boolean exist = RetryPolicy.DEFAULT
                .run("Looking for benchmark indices " + indices, () -> client.indices()
                        .exists(e -> e.index(indices)))
                .value();
        if (!exist) {
            return Optional.empty();
        }
        long held = RetryPolicy.DEFAULT
                .run("Counting the events in " + indices, () -> client.count(c -> c.index(indices)))
                .count();
        if (held != workload.events()) {
            return Optional.empty();
        }
        while (stream.hasNext()) {
            stream.next();
        }
        Instant first = workload.start();
        TimeWindow window =
                new TimeWindow(first, first.plusMillis(stream.tally().spanMillis()));
        return Optional.of(new Load(stream, indices, window, 0, 0));
    }

    /**
     * Merges the indices to one segment each. A merge of millions of events takes longer than a request may
     * stay open, and a request sent again would queue another merge: it runs as a task, which is waited for.
     */
    private void forceMerge(List<String> indices) {
        String task = RetryPolicy.DEFAULT
                .run("Force-merging " + indices, () -> client.indices()
                        .forcemerge(f -> f.index(indices).maxNumSegments(1L).waitForCompletion(false)))
                .task();
        if (task == null) {
            return;
        }
        while (!RetryPolicy.DEFAULT
                .run("Waiting for the force-merge of " + indices, () -> client.tasks()
                        .get(t -> t.taskId(task)))
                .completed()) {
            RetryPolicy.sleep(Duration.ofSeconds(2), "Waiting for the force-merge of " + indices);
        }
    }

    private RestClient restClient() {
        return ((RestClientTransport) client._transport()).restClient();
    }

    /**
     * Runs the rule over the loaded indices as a scheduled execution does: mappings read, push-down
     * filter, point-in-time read, in-memory match.
     *
     * @param checkPlanted whether the matches must be the planted transfers
     */
    public Read detect(Rule rule, Load load, boolean checkPlanted) {
        Rule onLoad = withIndices(rule, load.indices());
        long start = System.nanoTime();
        RulePlan plan = Planner.plan(onLoad, new FieldMappings(client, cluster).read(onLoad.index()));
        WindowDetection.Result result =
                new WindowDetection(new EventReader(client, cluster), pageSize).detect(plan, load.window());
        long nanos = System.nanoTime() - start;
        PlantedMatchCheck check = new PlantedMatchCheck();
        result.matches().forEach(check);
        return new Read(
                result.eventsRead(), result.matches().size(), nanos, checkPlanted ? check.verify(load.stream()) : null);
    }

    /** The same, but reading every event of the window (no push-down filter): what the push-down saves. */
    public Read readAll(Rule rule, Load load, boolean checkPlanted) {
        Rule onLoad = withIndices(rule, load.indices());
        long start = System.nanoTime();
        FieldTypes types = new FieldMappings(client, cluster).read(onLoad.index());
        // A plan made for matching only has no read filter: the window's every event is read.
        QueryPlan everything = Planner.forMatching(onLoad.query(), new Evaluator(types, onLoad.eventCategoryField()));
        WindowDetection.Result result = new WindowDetection(new EventReader(client, cluster), pageSize)
                .detect(everything, new ReadSpec(onLoad.index(), onLoad.timestampField(), null, null), load.window());
        PlantedMatchCheck check = new PlantedMatchCheck();
        result.matches().forEach(check);
        long read = result.eventsRead();
        long nanos = System.nanoTime() - start;
        return new Read(read, check.found(), nanos, checkPlanted ? check.verify(load.stream()) : null);
    }

    /** Deletes the benchmark's indices. */
    public void delete(Load load) {
        try {
            client.indices().delete(d -> d.index(load.indices()).ignoreUnavailable(true));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot delete the benchmark indices " + load.indices() + ": " + e.getMessage(), e);
        }
    }

    /** The rule, reading the given indices instead of its own patterns (so a real cluster's data is not read). */
    static Rule withIndices(Rule r, List<String> indices) {
        return r.toBuilder().index(indices).build();
    }
}
