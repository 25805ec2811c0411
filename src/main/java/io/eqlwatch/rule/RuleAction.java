package io.eqlwatch.rule;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code actions:} entry of a rule: which connector to tell about the rule's new alerts, and how often.
 *
 * @param connector the name of a connector defined in the connectors file
 * @param frequency one message per alert, or one summary of several alerts
 * @param interval  for a summary: send a digest at most once per interval; {@code null} means one
 *                  summary per execution that wrote alerts
 * @param throttle  at most one message per rule per throttle period; {@code null} for none
 * @param templates Mustache templates overriding the connector's defaults, by part ({@code message},
 *                  {@code subject}, {@code body}, ...)
 */
public record RuleAction(
        String connector, Frequency frequency, Duration interval, Duration throttle, Map<String, String> templates) {

    /** How alerts are grouped into messages. */
    public enum Frequency {
        PER_ALERT("per_alert"),
        SUMMARY("summary");

        private final String text;

        Frequency(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public static Frequency parse(String text) {
            for (Frequency frequency : values()) {
                if (frequency.text.equals(text)) {
                    return frequency;
                }
            }
            return null;
        }
    }

    public RuleAction {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(frequency, "frequency");
        templates = Map.copyOf(templates);
    }

    /**
     * What tells this action apart from the rule's other actions. Part of each notification's id, so
     * it must not change when other actions are added or reordered.
     */
    public String key() {
        return connector + "/" + frequency.text() + (interval == null ? "" : "/" + DurationText.format(interval));
    }
}
