package io.eqlwatch.demo;

import java.util.List;

/**
 * A generated scenario: its events (in time order) and whether the rule should alert on them.
 *
 * @param kind   what the scenario is
 * @param hostId the {@code host.id} of the host the connection reaches (unique to the scenario)
 * @param events the scenario's events, ordered by {@code @timestamp}
 */
public record Scenario(ScenarioKind kind, String hostId, String hostName, List<GeneratedEvent> events) {

    public Scenario {
        events = List.copyOf(events);
    }

    public boolean shouldAlert() {
        return kind.shouldAlert();
    }
}
