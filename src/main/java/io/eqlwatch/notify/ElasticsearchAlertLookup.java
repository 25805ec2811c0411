package io.eqlwatch.notify;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.eqlwatch.es.RetryPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Looks alerts up by id in the alerts index (an alias that may span several rolled-over indices). */
public final class ElasticsearchAlertLookup implements AlertLookup {

    private static final int BATCH = 1000;

    private final ElasticsearchClient client;
    private final String alertsIndex;
    private final RetryPolicy retry;

    public ElasticsearchAlertLookup(ElasticsearchClient client, String alertsIndex) {
        this.client = client;
        this.alertsIndex = alertsIndex;
        this.retry = RetryPolicy.DEFAULT;
    }

    @Override
    public Set<String> existing(Collection<String> alertIds) {
        List<String> ids = new ArrayList<>(new HashSet<>(alertIds));
        Set<String> found = new HashSet<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            try {
                // A search, not mget: mget cannot address an alias over several indices.
                SearchResponse<Void> response = retry.run(
                        "looking up alerts in " + alertsIndex,
                        () -> client.search(
                                s -> s.index(alertsIndex)
                                        .ignoreUnavailable(true)
                                        .allowNoIndices(true)
                                        .size(batch.size())
                                        .source(src -> src.fetch(false))
                                        .query(q -> q.ids(i -> i.values(batch))),
                                Void.class));
                for (Hit<Void> hit : response.hits().hits()) {
                    found.add(hit.id());
                }
            } catch (RuntimeException e) {
                throw new NotifyStoreException("cannot look up alerts in " + alertsIndex + ": " + e.getMessage(), e);
            }
        }
        return found;
    }
}
