package io.eqlwatch.rule;

import io.eqlwatch.eql.ast.Query;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A detection rule as eqlwatch runs it. Field names mirror Elastic's detection-rules schema (in
 * snake_case in YAML) so that Elastic's prebuilt rules map onto it one to one.
 *
 * @param ruleId             Elastic's {@code rule_id}: stable across versions and installs
 * @param uuid               the rule's instance id ({@code kibana.alert.rule.uuid}); derived from
 *                           {@code rule_id} when the YAML does not set one, so it is stable across
 *                           restarts and machines
 * @param interval           how often the rule runs
 * @param lookBack           how far before "now" a run's window starts ({@code from: now-9m} → 9m)
 * @param query              the parsed EQL
 * @param queryText          the EQL as written, for alerts ({@code kibana.alert.rule.parameters.query})
 * @param timestampOverride  field that selects events into a window instead of {@code @timestamp}
 *                           (e.g. {@code event.ingested}); {@code null} when not set
 * @param source             the file the rule was loaded from; {@code null} for rules built in code
 * @param tuning             exceptions, filters, suppression and the other SOC tuning of the rule
 * @param actions            who to notify of the rule's new alerts ({@code actions:}); empty for none
 */
public record Rule(
        String ruleId,
        String uuid,
        String name,
        String description,
        int version,
        List<String> author,
        String license,
        List<String> index,
        String queryText,
        Query query,
        Severity severity,
        int riskScore,
        Duration interval,
        Duration lookBack,
        int maxSignals,
        List<String> tags,
        List<Threat> threat,
        List<String> references,
        List<String> falsePositives,
        String note,
        String timestampOverride,
        String eventCategoryOverride,
        String tiebreakerField,
        boolean enabled,
        Path source,
        RuleTuning tuning,
        List<RuleAction> actions) {

    public Rule {
        tuning = tuning == null ? RuleTuning.NONE : tuning;
        Objects.requireNonNull(ruleId, "rule_id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(query, "query");
        author = List.copyOf(author);
        index = List.copyOf(index);
        tags = List.copyOf(tags);
        threat = List.copyOf(threat);
        references = List.copyOf(references);
        falsePositives = List.copyOf(falsePositives);
        actions = actions == null ? List.of() : List.copyOf(actions);
        if (uuid == null) {
            uuid = UUID.nameUUIDFromBytes(("eqlwatch-rule:" + ruleId).getBytes(StandardCharsets.UTF_8))
                    .toString();
        }
    }

    /** The look-back as Kibana writes it, e.g. {@code now-9m}. */
    public String from() {
        return "now-" + DurationText.format(lookBack);
    }

    /** The interval as Kibana writes it, e.g. {@code 5m}. */
    public String intervalText() {
        return DurationText.format(interval);
    }

    /** The field that orders events in sequences and places them in a window when no override is set. */
    public String timestampField() {
        return "@timestamp";
    }

    /** The field that selects events into a run's window: the override when set, else {@code @timestamp}. */
    public String windowField() {
        return timestampOverride != null ? timestampOverride : timestampField();
    }

    /** The field holding an event's category for {@code category where ...}. */
    public String eventCategoryField() {
        return eventCategoryOverride != null ? eventCategoryOverride : "event.category";
    }

    /** This rule with other tuning. */
    public Rule withTuning(RuleTuning other) {
        return toBuilder().tuning(other).build();
    }

    /** A builder that starts from this rule: the one way to derive a changed copy of it. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * A copy of a rule with some parts changed. Only the parts that are changed somewhere have a setter;
     * the rest is carried over, so a new field of {@code Rule} needs no change in the code that derives rules.
     */
    public static final class Builder {
        private final Rule base;
        private String ruleId;
        private String uuid;
        private String name;
        private List<String> index;
        private Duration lookBack;
        private int maxSignals;
        private RuleTuning tuning;
        private List<RuleAction> actions;

        private Builder(Rule base) {
            this.base = base;
            this.ruleId = base.ruleId;
            this.uuid = base.uuid;
            this.name = base.name;
            this.index = base.index;
            this.lookBack = base.lookBack;
            this.maxSignals = base.maxSignals;
            this.tuning = base.tuning;
            this.actions = base.actions;
        }

        /** Another rule with this one's content: its own id (and so its own instance uuid) and name. */
        public Builder identity(String otherRuleId, String otherName) {
            this.ruleId = otherRuleId;
            this.uuid = null;
            this.name = otherName;
            return this;
        }

        public Builder index(List<String> patterns) {
            this.index = patterns;
            return this;
        }

        public Builder lookBack(Duration window) {
            this.lookBack = window;
            return this;
        }

        public Builder maxSignals(int cap) {
            this.maxSignals = cap;
            return this;
        }

        public Builder tuning(RuleTuning other) {
            this.tuning = other;
            return this;
        }

        public Builder actions(List<RuleAction> other) {
            this.actions = other;
            return this;
        }

        public Rule build() {
            return new Rule(
                    ruleId,
                    uuid,
                    name,
                    base.description,
                    base.version,
                    base.author,
                    base.license,
                    index,
                    base.queryText,
                    base.query,
                    base.severity,
                    base.riskScore,
                    base.interval,
                    lookBack,
                    maxSignals,
                    base.tags,
                    base.threat,
                    base.references,
                    base.falsePositives,
                    base.note,
                    base.timestampOverride,
                    base.eventCategoryOverride,
                    base.tiebreakerField,
                    base.enabled,
                    base.source,
                    tuning,
                    actions);
        }
    }
}
