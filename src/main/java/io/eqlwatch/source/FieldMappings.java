package io.eqlwatch.source;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.core.FieldCapsResponse;
import co.elastic.clients.elasticsearch.core.field_caps.FieldCapability;
import co.elastic.clients.elasticsearch.indices.GetFieldMappingResponse;
import co.elastic.clients.elasticsearch.indices.ResolveIndexResponse;
import co.elastic.clients.elasticsearch.indices.get_field_mapping.TypeFieldMappings;
import co.elastic.clients.json.JsonpUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.event.DateFormat;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.event.MappedField;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the mapped types of fields across index patterns (with the field-capabilities API, which merges the
 * mappings of all matching indices) into {@link FieldTypes}. A field mapped differently in different indices
 * (say keyword in one, ip in another) gets the common comparison type when there is one (long and integer
 * are both LONG) and {@link FieldType#UNKNOWN} otherwise, so values then compare as their JSON type.
 * Metadata fields ({@code _id}, {@code _index}, ...) are left out. A {@code date} in one index and a
 * {@code date_nanos} in another are {@link FieldType#DATE_NANOS}: nothing is lost by the finer precision.
 *
 * <p>Beyond types, the get-field-mapping API says what Elasticsearch's EQL applies when it reads values through
 * the search {@code fields} option, so that the engine reading {@code _source} gets the same values: an
 * {@code alias}'s target path, a {@code null_value}, and a date field's {@code format} (the formats of all
 * indices, tried in turn).
 */
public final class FieldMappings implements FieldTypeLookup {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticsearchClient client;
    private final String cluster;
    private final RetryPolicy retry;
    private final NodeVersions nodes;

    public FieldMappings(ElasticsearchClient client, String cluster, RetryPolicy retry) {
        this.client = Objects.requireNonNull(client, "client");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.nodes = new NodeVersions(client, cluster, retry);
    }

    public FieldMappings(ElasticsearchClient client, String cluster) {
        this(client, cluster, RetryPolicy.DEFAULT);
    }

    /** Types and mapping details of every mapped field of the indices; indices that do not exist contribute nothing. */
    @Override
    public FieldTypes read(List<String> indices) {
        return forFields(indices, List.of("*"));
    }

    /** Types and mapping details of the given fields (names or wildcards) of the indices only. */
    public FieldTypes read(List<String> indices, List<String> fields) {
        if (indices.isEmpty() || fields.isEmpty()) {
            return FieldTypes.NONE;
        }
        Map<String, FieldType> types = types(indices, fields);
        return new FieldTypes(
                types, types.isEmpty() ? Map.of() : details(indices, fields), false, nodes.regexpFolding());
    }

    /**
     * Types of every mapped field of the indices (so that a field that exists nowhere can be told), with the
     * mapping details of the given fields only (names or wildcards): those a rule reads, which is cheaper than
     * all on indices with thousands of fields.
     */
    @Override
    public FieldTypes forFields(List<String> indices, Collection<String> detailFields) {
        if (indices.isEmpty()) {
            return FieldTypes.NONE;
        }
        Map<String, FieldType> types = types(indices, List.of("*"));
        if (types.isEmpty() || detailFields.isEmpty()) {
            return new FieldTypes(types).withRegexpFolding(nodes.regexpFolding());
        }
        return new FieldTypes(
                types, details(indices, List.copyOf(new LinkedHashSet<>(detailFields))), true, nodes.regexpFolding());
    }

    private Map<String, FieldType> types(List<String> indices, List<String> fields) {
        FieldCapsResponse response = retry.run(
                "Reading field mappings of " + indices + " from " + cluster,
                () -> client.fieldCaps(r ->
                        r.index(indices).fields(fields).ignoreUnavailable(true).allowNoIndices(true)));
        Map<String, FieldType> types = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, FieldCapability>> field :
                response.fields().entrySet()) {
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
            if (mapped.equals(Set.of(FieldType.DATE, FieldType.DATE_NANOS))) {
                mapped = Set.of(FieldType.DATE_NANOS);
            }
            types.put(name, mapped.size() == 1 ? mapped.iterator().next() : FieldType.UNKNOWN);
        }
        return types;
    }

    private Map<String, MappedField> details(List<String> indices, List<String> fields) {
        GetFieldMappingResponse response =
                retry.run("Reading field mappings of " + indices + " from " + cluster, () -> client.indices()
                        .getFieldMapping(r -> r.index(indices)
                                .fields(fields)
                                .ignoreUnavailable(true)
                                .allowNoIndices(true)));
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, Object> nullValues = new LinkedHashMap<>();
        Map<String, Set<String>> formats = new LinkedHashMap<>();
        for (TypeFieldMappings index : response.result().values()) {
            index.mappings().forEach((name, mapping) -> {
                for (Property property : mapping.mapping().values()) {
                    JsonNode json = asJson(property);
                    String type = property._kind().jsonValue();
                    if (type.equals("alias") && json.hasNonNull("path")) {
                        aliases.putIfAbsent(name, json.get("path").asText());
                    }
                    if (json.has("null_value") && !json.get("null_value").isNull()) {
                        nullValues.putIfAbsent(name, JSON.convertValue(json.get("null_value"), Object.class));
                    }
                    if (type.equals("date") || type.equals("date_nanos")) {
                        formats.computeIfAbsent(name, k -> new LinkedHashSet<>())
                                .add(
                                        json.hasNonNull("format")
                                                ? json.get("format").asText()
                                                : DateFormat.DEFAULT.text());
                    }
                }
            });
        }
        Set<String> names = new LinkedHashSet<>(aliases.keySet());
        names.addAll(nullValues.keySet());
        names.addAll(formats.keySet());
        Map<String, MappedField> details = new LinkedHashMap<>();
        for (String name : names) {
            Set<String> format = formats.getOrDefault(name, Set.of());
            MappedField field = new MappedField(
                    aliases.get(name),
                    nullValues.get(name),
                    format.isEmpty() ? DateFormat.DEFAULT : DateFormat.of(String.join("||", format)));
            if (!field.isPlain()) {
                details.put(name, field);
            }
        }
        return details;
    }

    private JsonNode asJson(Property property) {
        try {
            return JSON.readTree(JsonpUtils.toJsonString(property, client._jsonpMapper()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read the mapping " + property, e);
        }
    }

    @Override
    public List<String> matchingNothing(List<String> indices) {
        List<String> unmatched = new ArrayList<>();
        for (String pattern : indices) {
            ResolveIndexResponse resolved =
                    retry.run("Resolving index pattern " + pattern + " on " + cluster, () -> client.indices()
                            .resolveIndex(
                                    r -> r.name(pattern).ignoreUnavailable(true).allowNoIndices(true)));
            if (resolved.indices().isEmpty()
                    && resolved.aliases().isEmpty()
                    && resolved.dataStreams().isEmpty()) {
                unmatched.add(pattern);
            }
        }
        return unmatched;
    }

    @Override
    public boolean listsIndexNames() {
        return true;
    }

    /** One resolve request for all the names and patterns: their indices, aliases and data streams. */
    @Override
    public Map<String, Set<String>> namesByIndex(Collection<String> indices) {
        Map<String, Set<String>> names = new LinkedHashMap<>();
        if (indices.isEmpty()) {
            return names;
        }
        String expression = String.join(",", new LinkedHashSet<>(indices));
        ResolveIndexResponse resolved =
                retry.run("Resolving index patterns " + expression + " on " + cluster, () -> client.indices()
                        .resolveIndex(
                                r -> r.name(expression).ignoreUnavailable(true).allowNoIndices(true)));
        resolved.indices().forEach(index -> {
            Set<String> own = names.computeIfAbsent(index.name(), k -> new LinkedHashSet<>());
            own.addAll(index.aliases());
            if (index.dataStream() != null) {
                own.add(index.dataStream());
            }
        });
        resolved.aliases().forEach(alias -> alias.indices()
                .forEach(index ->
                        names.computeIfAbsent(index, k -> new LinkedHashSet<>()).add(alias.name())));
        resolved.dataStreams().forEach(stream -> stream.backingIndices()
                .forEach(index ->
                        names.computeIfAbsent(index, k -> new LinkedHashSet<>()).add(stream.name())));
        return names;
    }
}
