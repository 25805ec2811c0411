package io.eqlwatch.source;

import io.eqlwatch.event.FieldTypes;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the cluster knows of a rule's indices: the mapped types of their fields, and which of the
 * patterns match nothing. Elasticsearch's mappings in production ({@link FieldMappings}), fixed
 * ones in tests.
 */
@FunctionalInterface
public interface FieldTypeLookup {

    FieldTypes read(List<String> indices);

    /**
     * The types of every field of the indices, with the mapping details (aliases, {@code null_value}, date
     * formats) of the fields a rule reads; a lookup that cannot narrow the details reads them all.
     */
    default FieldTypes forFields(List<String> indices, Collection<String> fieldsRead) {
        return read(indices);
    }

    /**
     * The index names or patterns of the list that match no index, alias or data stream (a rule
     * over them reads nothing, and says so). None, unless the lookup can tell.
     */
    default List<String> matchingNothing(List<String> indices) {
        return List.of();
    }

    /**
     * Every concrete index the names or patterns reach, with the names it answers to besides its own:
     * its aliases and its data stream. So a run reading several rules' indices at once can tell which
     * rules an event's index belongs to. None, unless the lookup can tell; an index absent from the map
     * answers to its own name only.
     */
    default Map<String, Set<String>> namesByIndex(Collection<String> indices) {
        return Map.of();
    }

    /** Whether {@link #namesByIndex} answers from the cluster (an empty answer then means no index matched). */
    default boolean listsIndexNames() {
        return false;
    }
}
