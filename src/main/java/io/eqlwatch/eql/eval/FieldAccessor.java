package io.eqlwatch.eql.eval;

import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldPath;
import java.util.List;

/** Reads one field's values from events, through the name's {@link FieldPath}, prepared once per condition. */
final class FieldAccessor {

    private final FieldPath path;

    FieldAccessor(String name) {
        this.path = FieldPath.of(name);
    }

    String name() {
        return path.name();
    }

    /** Every non-null value, arrays flattened; empty when the field is missing. */
    List<Object> values(Event event) {
        return path.values(event.source());
    }
}
