package io.eqlwatch.demo;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events the {@code demo} and {@code load-demo-events} commands put into a cluster: one SMB
 * tool transfer, a handful of its benign look-alikes, and a few hundred events of ordinary
 * endpoint traffic, all in the last few minutes so that the rule's next run sees them.
 */
public final class DemoData {

    public static final String NAMESPACE = "default";

    private static final List<ScenarioKind> LOOK_ALIKES = List.of(ScenarioKind.PORT_139, ScenarioKind.LOOPBACK_SOURCE,
            ScenarioKind.OUTGOING_DIRECTION, ScenarioKind.NON_EXECUTABLE_FILE, ScenarioKind.GAP_OVER_30S,
            ScenarioKind.OTHER_HOST);

    private DemoData() {
    }

    /** The scenarios, the attack first; their events lie between {@code now - 8m} and {@code now - 1m}. */
    public static List<Scenario> scenarios(DefendEventGenerator generator, Instant now) {
        List<Scenario> scenarios = new ArrayList<>();
        scenarios.add(generator.attack(now.minus(Duration.ofMinutes(3))));
        Instant at = now.minus(Duration.ofMinutes(8));
        for (ScenarioKind kind : LOOK_ALIKES) {
            scenarios.add(generator.scenario(kind, at));
            at = at.plus(Duration.ofSeconds(50));
        }
        return scenarios;
    }

    /** Everything the demo loads: the scenarios' events and 300 events of noise. */
    public static List<GeneratedEvent> events(long seed, Instant now) {
        DefendEventGenerator generator = new DefendEventGenerator(seed, NAMESPACE);
        List<GeneratedEvent> events = new ArrayList<>();
        scenarios(generator, now).forEach(s -> events.addAll(s.events()));
        events.addAll(generator.noise(now.minus(Duration.ofMinutes(9)), now, 300));
        return events;
    }

    /**
     * Installs the Elastic Defend-like index templates (so the indices get keyword, ip, long and date
     * mappings as the endpoint package gives them) and indexes the events, searchable on return.
     *
     * @return how many events were indexed
     */
    public static int load(ElasticsearchClient client, List<GeneratedEvent> events) {
        DefendIndexTemplates.install(client);
        List<BulkOperation> operations = new ArrayList<>(events.size());
        for (GeneratedEvent event : events) {
            String index = event.index(NAMESPACE);
            operations.add(BulkOperation.of(op -> op.index(i -> i.index(index).document(event.document()))));
        }
        try {
            BulkResponse response = client.bulk(b -> b.refresh(Refresh.WaitFor).operations(operations));
            if (response.errors()) {
                String first = response.items().stream().filter(i -> i.error() != null)
                        .map(i -> i.index() + ": " + i.error().reason()).findFirst().orElse("unknown error");
                throw new IllegalStateException("Elasticsearch refused some demo events, e.g. " + first);
            }
            return events.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index the demo events: " + e.getMessage(), e);
        }
    }
}
