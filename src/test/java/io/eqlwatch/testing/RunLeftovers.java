package io.eqlwatch.testing;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ExpandWildcard;
import co.elastic.clients.elasticsearch.cat.indices.IndicesRecord;
import co.elastic.clients.elasticsearch.cluster.ComponentTemplate;
import co.elastic.clients.elasticsearch.indices.DataStream;
import co.elastic.clients.elasticsearch.indices.get_index_template.IndexTemplateItem;
import java.io.IOException;
import java.util.List;

/**
 * What one test run created on a cluster that outlives it, found by the run's token in each name and
 * deleted by name (a cluster may refuse wildcard deletes, and a wildcard could reach what is not the run's).
 * A kind that cannot be listed or deleted (no ILM on the integ-test-zip, a user without the privilege) is
 * told on one line and the others still go: the tests' results are decided by then.
 */
final class RunLeftovers {

    /** Names per delete request: a request line stays under Elasticsearch's 4 KB limit. */
    private static final int NAMES_PER_REQUEST = 20;

    private final ElasticsearchClient client;
    private final String token;

    RunLeftovers(ElasticsearchClient client, String token) {
        this.client = client;
        this.token = token;
    }

    void delete() {
        // Data streams before indices (their backing indices cannot be deleted alone), templates after both
        // (a template that an index or data stream still uses cannot be deleted).
        deleteEach(
                "data streams",
                () ->
                        ours(client
                                .indices()
                                .getDataStream(g -> g.name("*").expandWildcards(ExpandWildcard.All))
                                .dataStreams()
                                .stream()
                                .map(DataStream::name)
                                .toList()),
                names -> client.indices().deleteDataStream(d -> d.name(names)));
        deleteEach(
                "indices",
                () -> ours(
                        client.cat().indices(c -> c.index("*").expandWildcards(ExpandWildcard.All)).valueBody().stream()
                                .map(IndicesRecord::index)
                                .toList()),
                names -> client.indices().delete(d -> d.index(names)));
        deleteEach(
                "index templates",
                () -> ours(client.indices().getIndexTemplate().indexTemplates().stream()
                        .map(IndexTemplateItem::name)
                        .toList()),
                names -> client.indices().deleteIndexTemplate(d -> d.name(names)));
        deleteEach(
                "component templates",
                () -> ours(client.cluster().getComponentTemplate().componentTemplates().stream()
                        .map(ComponentTemplate::name)
                        .toList()),
                names -> client.cluster().deleteComponentTemplate(d -> d.name(names)));
        deleteEach(
                "lifecycle policies",
                () -> ours(List.copyOf(client.ilm().getLifecycle().result().keySet())),
                names -> {
                    for (String name : names) {
                        client.ilm().deleteLifecycle(d -> d.name(name));
                    }
                });
    }

    private List<String> ours(List<String> names) {
        return names.stream()
                .filter(name -> name != null && name.contains(token))
                .toList();
    }

    @FunctionalInterface
    private interface Listing {
        List<String> names() throws IOException;
    }

    @FunctionalInterface
    private interface Deletion {
        void delete(List<String> names) throws IOException;
    }

    private void deleteEach(String kind, Listing listing, Deletion deletion) {
        try {
            List<String> names = listing.names();
            for (int from = 0; from < names.size(); from += NAMES_PER_REQUEST) {
                deletion.delete(names.subList(from, Math.min(names.size(), from + NAMES_PER_REQUEST)));
            }
            if (!names.isEmpty()) {
                System.out.println("[ElasticsearchHarness] deleted this run's " + names.size() + " " + kind);
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("[ElasticsearchHarness] left this run's " + kind + " in place: " + e);
        }
    }
}
