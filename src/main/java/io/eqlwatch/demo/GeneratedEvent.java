package io.eqlwatch.demo;

import java.time.Instant;
import java.util.Map;

/**
 * One generated Elastic Defend document and the dataset it belongs to.
 *
 * @param dataset   file or network events: decides the index it goes to
 * @param timestamp its {@code @timestamp}
 * @param document  the document, as nested maps (JSON-ready)
 */
public record GeneratedEvent(DefendDataset dataset, Instant timestamp, Map<String, Object> document) {

    /** The index this event goes to in the given namespace, e.g. {@code logs-endpoint.events.file-default}. */
    public String index(String namespace) {
        return dataset.indexName(namespace);
    }
}
