package io.eqlwatch.schedule;

import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.source.FieldTypeLookup;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mappings for a batch in memory: fixed field types, and the concrete indices each pattern reaches among a
 * fixed list, as a cluster's resolve lists them (a batch shares reads only over indices it could resolve).
 */
final class ResolvedIndices implements FieldTypeLookup {

    private final FieldTypes types;
    private final List<String> indices;

    ResolvedIndices(FieldTypes types, List<String> indices) {
        this.types = types;
        this.indices = List.copyOf(indices);
    }

    @Override
    public FieldTypes read(List<String> patterns) {
        return types;
    }

    @Override
    public Map<String, Set<String>> namesByIndex(Collection<String> patterns) {
        Map<String, Set<String>> reached = new LinkedHashMap<>();
        for (String index : indices) {
            if (patterns.stream().anyMatch(p -> IndexMembership.matches(p, index))) {
                reached.put(index, Set.of());
            }
        }
        return reached;
    }
}
