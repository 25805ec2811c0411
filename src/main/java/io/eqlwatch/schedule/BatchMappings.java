package io.eqlwatch.schedule;

import io.eqlwatch.eql.analysis.QueryFields;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.FieldTypeLookup;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mappings of a batch of rules, asked of the cluster once per distinct list of index patterns
 * (with the mapping details of every field any of those rules reads) and once per pattern for
 * whether it matches anything, instead of once per rule. A failed lookup is remembered as well, so
 * a refusing cluster fails each rule of the batch without each one retrying the same call.
 *
 * <p>A rule gets the details of more fields than it reads; the engine looks details up only for
 * the fields it reads, so its plan is the one it would have alone.
 */
final class BatchMappings implements FieldTypeLookup {

    private final FieldTypeLookup cluster;
    private final Map<List<String>, Set<String>> fieldsByIndices = new HashMap<>();
    private final Map<List<String>, Lookup<FieldTypes>> types = new HashMap<>();
    private final Map<String, Lookup<Boolean>> matchesNothing = new HashMap<>();

    private record Lookup<T>(T value, RuntimeException failure) {
        T get() {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    BatchMappings(FieldTypeLookup cluster, Collection<Rule> rules) {
        this.cluster = cluster;
        for (Rule rule : rules) {
            fieldsByIndices
                    .computeIfAbsent(rule.index(), k -> new TreeSet<>())
                    .addAll(QueryFields.readBy(rule.query(), rule.eventCategoryField()));
        }
    }

    @Override
    public FieldTypes read(List<String> indices) {
        return cluster.read(indices);
    }

    @Override
    public synchronized FieldTypes forFields(List<String> indices, Collection<String> fieldsRead) {
        Set<String> batchFields = fieldsByIndices.get(indices);
        if (batchFields == null || !batchFields.containsAll(fieldsRead)) {
            return cluster.forFields(indices, fieldsRead);
        }
        return types.computeIfAbsent(List.copyOf(indices), k -> {
                    try {
                        return new Lookup<>(cluster.forFields(k, new LinkedHashSet<>(batchFields)), null);
                    } catch (RuntimeException e) {
                        return new Lookup<>(null, e);
                    }
                })
                .get();
    }

    @Override
    public Map<String, Set<String>> namesByIndex(Collection<String> indices) {
        return cluster.namesByIndex(indices);
    }

    @Override
    public synchronized List<String> matchingNothing(List<String> indices) {
        return indices.stream()
                .filter(pattern -> matchesNothing
                        .computeIfAbsent(pattern, p -> {
                            try {
                                return new Lookup<>(
                                        !cluster.matchingNothing(List.of(p)).isEmpty(), null);
                            } catch (RuntimeException e) {
                                return new Lookup<>(null, e);
                            }
                        })
                        .get())
                .toList();
    }
}
