package io.eqlwatch.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.field_caps.FieldCapability;
import co.elastic.clients.elasticsearch.core.FieldCapsResponse;
import co.elastic.clients.elasticsearch.indices.ResolveIndexResponse;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;

/**
 * Reads the mapped types of fields across index patterns (with the field-capabilities API, which merges the
 * mappings of all matching indices) into {@link FieldTypes}. A field mapped differently in different indices
 * (say keyword in one, ip in another) gets the common comparison type when there is one (long and integer
 * are both LONG) and {@link FieldType#UNKNOWN} otherwise, so values then compare as their JSON type.
 * Metadata fields ({@code _id}, {@code _index}, ...) are left out.
 */
public final class FieldMappings implements FieldTypeLookup {

    private final ElasticsearchClient client;
    private final String cluster;
    private final RetryPolicy retry;

    public FieldMappings(ElasticsearchClient client, String cluster, RetryPolicy retry) {
        this.client = Objects.requireNonNull(client, "client");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    public FieldMappings(ElasticsearchClient client, String cluster) {
        this(client, cluster, RetryPolicy.DEFAULT);
    }

    /** Types of every mapped field of the indices; indices that do not exist contribute nothing. */
    @Override
    public FieldTypes read(List<String> indices) {
        return read(indices, List.of("*"));
    }

    /** Types of the given fields (names or wildcards) of the indices. */
    public FieldTypes read(List<String> indices, List<String> fields) {
        if (indices.isEmpty() || fields.isEmpty()) {
            return FieldTypes.NONE;
        }
        FieldCapsResponse response = retry.run("Reading field mappings of " + indices + " from " + cluster,
                () -> client.fieldCaps(r -> r.index(indices).fields(fields).ignoreUnavailable(true).allowNoIndices(true)));
        Map<String, FieldType> types = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, FieldCapability>> field : response.fields().entrySet()) {
            String name = field.getKey();
            if (name.startsWith("_")) {
                continue;
            }
            Set<FieldType> mapped = field.getValue().keySet().stream()
                    .filter(esType -> !esType.equals("unmapped"))
                    .map(FieldType::fromMapping)
                    .collect(Collectors.toSet());
            if (mapped.isEmpty()) {
                continue;
            }
            types.put(name, mapped.size() == 1 ? mapped.iterator().next() : FieldType.UNKNOWN);
        }
        return new FieldTypes(types);
    }

    @Override
    public List<String> matchingNothing(List<String> indices) {
        List<String> unmatched = new ArrayList<>();
        for (String pattern : indices) {
            ResolveIndexResponse resolved = retry.run("Resolving index pattern " + pattern + " on " + cluster,
                    () -> client.indices().resolveIndex(r -> r.name(pattern).ignoreUnavailable(true)
                            .allowNoIndices(true)));
            if (resolved.indices().isEmpty() && resolved.aliases().isEmpty() && resolved.dataStreams().isEmpty()) {
                unmatched.add(pattern);
            }
        }
        return unmatched;
    }
}
