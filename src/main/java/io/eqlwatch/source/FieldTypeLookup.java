package io.eqlwatch.source;

import io.eqlwatch.event.FieldTypes;
import java.util.List;

/** The mapped types of the fields of some indices: Elasticsearch's mappings ({@link FieldMappings}), or fixed ones in tests. */
@FunctionalInterface
public interface FieldTypeLookup {

    FieldTypes read(List<String> indices);
}
