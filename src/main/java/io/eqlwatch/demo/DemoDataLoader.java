package io.eqlwatch.demo;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads the demo's events into Elasticsearch: installs the Defend-like templates, then writes one SMB lateral
 * tool transfer, every benign look-alike and background noise into {@code logs-endpoint.events.file-<ns>}
 * and {@code logs-endpoint.events.network-<ns>}, all inside the few minutes before {@code now} so that a
 * rule run at {@code now} (look-back 9 minutes) sees them. Searchable when {@link #load} returns.
 */
public final class DemoDataLoader {

    /** How far before {@code now} the demo's events start; inside the rule's 9-minute look-back. */
    public static final Duration SPREAD = Duration.ofMinutes(7);

    private final ElasticsearchClient client;
    private final RetryPolicy retry;

    public DemoDataLoader(ElasticsearchClient client) {
        this(client, RetryPolicy.DEFAULT);
    }

    public DemoDataLoader(ElasticsearchClient client, RetryPolicy retry) {
        this.client = client;
        this.retry = retry;
    }

    /** What was loaded. */
    public record Loaded(List<Scenario> scenarios, int noiseEvents, Map<String, Integer> eventsPerIndex) {

        /** The scenarios the rule must alert on. */
        public List<Scenario> expectedAlerts() {
            return scenarios.stream().filter(Scenario::shouldAlert).toList();
        }

        public int totalEvents() {
            return eventsPerIndex.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * Loads the canonical attack, each benign look-alike and {@code noiseEvents} noise events, generated from
     * {@code seed}, into namespace {@code namespace} (e.g. "default").
     */
    public Loaded load(Instant now, long seed, String namespace, int noiseEvents) {
        DefendIndexTemplates.install(client);
        DefendEventGenerator generator = new DefendEventGenerator(seed, namespace);
        Instant start = now.minus(SPREAD);
        List<Scenario> scenarios = new ArrayList<>();
        List<ScenarioKind> kinds = new ArrayList<>();
        kinds.add(ScenarioKind.ATTACK);
        for (ScenarioKind kind : ScenarioKind.values()) {
            if (!kind.shouldAlert()) {
                kinds.add(kind);
            }
        }
        // Spread the scenarios over the first part of the span so even the 30 s cases end well before now.
        Duration step = SPREAD.minusMinutes(1).dividedBy(kinds.size());
        for (int i = 0; i < kinds.size(); i++) {
            scenarios.add(generator.scenario(kinds.get(i), start.plus(step.multipliedBy(i))));
        }
        List<GeneratedEvent> events = new ArrayList<>(generator.noise(start, now.minusSeconds(5), noiseEvents));
        scenarios.forEach(s -> events.addAll(s.events()));
        return new Loaded(scenarios, noiseEvents, write(events, namespace));
    }

    /** Writes the events to their dataset's index of {@code namespace}; returns how many went to each index. */
    public Map<String, Integer> write(List<GeneratedEvent> events, String namespace) {
        Map<String, Integer> perIndex = new TreeMap<>();
        List<BulkOperation> operations = new ArrayList<>(events.size());
        for (GeneratedEvent event : events) {
            String index = event.index(namespace);
            perIndex.merge(index, 1, Integer::sum);
            // The event's own id as _id: a retried bulk overwrites instead of duplicating.
            String id = String.valueOf(((Map<?, ?>) event.document().get("event")).get("id"));
            operations.add(
                    BulkOperation.of(op -> op.index(ix -> ix.index(index).id(id).document(event.document()))));
        }
        if (operations.isEmpty()) {
            return perIndex;
        }
        BulkResponse response = retry.run(
                "Writing " + events.size() + " demo events",
                () -> client.bulk(b -> b.refresh(Refresh.WaitFor).operations(operations)));
        if (response.errors()) {
            List<String> errors = response.items().stream()
                    .filter(i -> i.error() != null)
                    .limit(5)
                    .map(DemoDataLoader::describe)
                    .toList();
            throw new ElasticsearchCallException("Elasticsearch rejected demo events, e.g. " + errors, null);
        }
        return perIndex;
    }

    private static String describe(BulkResponseItem item) {
        return item.index() + ": " + item.error().type() + " " + item.error().reason();
    }
}
