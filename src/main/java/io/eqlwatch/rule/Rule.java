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

    /** A rule without tuning or actions, as code that builds rules by hand mostly wants. */
    public Rule(
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
            Path source) {
        this(
                ruleId,
                uuid,
                name,
                description,
                version,
                author,
                license,
                index,
                queryText,
                query,
                severity,
                riskScore,
                interval,
                lookBack,
                maxSignals,
                tags,
                threat,
                references,
                falsePositives,
                note,
                timestampOverride,
                eventCategoryOverride,
                tiebreakerField,
                enabled,
                source,
                RuleTuning.NONE,
                List.of());
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
        return new Rule(
                ruleId,
                uuid,
                name,
                description,
                version,
                author,
                license,
                index,
                queryText,
                query,
                severity,
                riskScore,
                interval,
                lookBack,
                maxSignals,
                tags,
                threat,
                references,
                falsePositives,
                note,
                timestampOverride,
                eventCategoryOverride,
                tiebreakerField,
                enabled,
                source,
                other,
                actions);
    }
}
