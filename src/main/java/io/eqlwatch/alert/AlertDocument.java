package io.eqlwatch.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One alert document ready to be written: its {@code _id} (also its {@code kibana.alert.uuid}),
 * what part of a match it stands for, and its {@code _source}.
 */
public record AlertDocument(String id, Role role, ObjectNode source) {

    /** The part an alert plays, as Kibana's alerts table tells them apart. */
    public enum Role {
        /** One event of a sequence ({@code kibana.alert.building_block_type: default}), hidden by default in Kibana. */
        BUILDING_BLOCK,
        /** The alert that ties a sequence's building blocks together; what analysts see and triage. */
        SHELL,
        /** The alert of an event query: one event, one alert. */
        SINGLE
    }

    public AlertDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(source, "source");
    }
}
