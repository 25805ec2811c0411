package io.eqlwatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.engine.Match;
import io.eqlwatch.event.Event;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.QueryShape;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.Threat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a rule's matches into the alert documents Kibana's detection engine would write for them.
 *
 * <p>A sequence of N events gives N building-block alerts (depth 1, one per event, carrying that
 * event's fields) and one shell alert (depth 2) that links them through
 * {@code kibana.alert.group.id} and carries the fields all events share. An event query gives one
 * alert per event. Ids follow Kibana's formulas ({@link AlertIds}), so the same events always give
 * the same documents, whatever run, process or window finds them.
 *
 * <p>Pure: no clock, no randomness, no I/O. The run supplies its execution uuid and its "now".
 */
public final class AlertBuilder {

    /** Kibana's space eqlwatch alerts belong to unless told otherwise. */
    public static final String DEFAULT_SPACE = "default";

    /**
     * Event version used in the id of an event-query alert. Kibana includes the event's
     * {@code _version}; events in data streams are append-only, so it is always 1 there.
     */
    static final long EVENT_VERSION = 1;

    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Rule rule;
    private final String spaceId;
    private final boolean eventQuery;
    /** Thread-safe, and costly to make: one for every builder (a batch makes one builder per rule). */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectMapper mapper = MAPPER;
    /** Made when the first alert is built: most executions build none. */
    private ObjectNode ruleFields;

    private final AlertOverrides overrides;

    public AlertBuilder(Rule rule) {
        this(rule, DEFAULT_SPACE);
    }

    /**
     * @param spaceId the Kibana space the alerts belong to ({@code kibana.space_ids}); Kibana shows
     *                an alert only in the spaces listed there
     */
    public AlertBuilder(Rule rule, String spaceId) {
        this(rule, spaceId, Planner.shapeOf(rule.query()));
    }

    /** A builder for the rule of a plan. */
    public AlertBuilder(RulePlan plan, String spaceId) {
        this(plan.rule(), spaceId, plan.shape());
    }

    private AlertBuilder(Rule rule, String spaceId, QueryShape shape) {
        this.rule = Objects.requireNonNull(rule, "rule");
        this.spaceId = Objects.requireNonNull(spaceId, "spaceId");
        this.eventQuery = shape == QueryShape.EVENT;
        this.overrides = new AlertOverrides(rule);
    }

    /** Builds the alerts of every match, in the matches' order. */
    public List<AlertGroup> buildAll(List<Match> matches, String executionUuid, Instant now) {
        List<AlertGroup> groups = new ArrayList<>(matches.size());
        for (Match match : matches) {
            groups.add(build(match, executionUuid, now));
        }
        return groups;
    }

    /**
     * Builds the alerts of one match.
     *
     * @param executionUuid the run's id ({@code kibana.alert.rule.execution.uuid})
     * @param now           the run's clock reading: every alert's {@code @timestamp}
     */
    public AlertGroup build(Match match, String executionUuid, Instant now) {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(executionUuid, "executionUuid");
        Objects.requireNonNull(now, "now");
        List<Event> events = match.events();
        if (events.isEmpty()) {
            throw new IllegalArgumentException("rule '" + rule.name() + "': a match without events has no alert");
        }
        if (eventQuery) {
            if (events.size() != 1) {
                throw new IllegalArgumentException("rule '" + rule.name() + "' is an event query, but a match holds "
                        + events.size() + " events; expected exactly one");
            }
            return single(events.get(0), executionUuid, now);
        }
        return sequence(events, executionUuid, now);
    }

    private AlertGroup single(Event event, String executionUuid, Instant now) {
        requireIdentity(event);
        String id = AlertIds.eventAlertId(event.index(), event.id(), EVENT_VERSION, spaceId, rule.uuid());
        ObjectNode fields = EventFields.copy(event.source(), mapper);
        ObjectNode doc = alertDocument(now, fields);
        putAlertFields(
                doc,
                id,
                List.of(Ancestor.event(event.id(), event.index())),
                1,
                event.timestamp(),
                EventFields.originalEvent(event.source(), mapper),
                ReasonMessage.build(fields, severity(), rule.name()),
                executionUuid,
                now);
        markBuildingBlock(doc);
        if (!overrides.isEmpty()) {
            overrides.apply(doc, fields);
        }
        return new AlertGroup(List.of(new AlertDocument(id, AlertDocument.Role.SINGLE, doc)), event.timestamp());
    }

    private AlertGroup sequence(List<Event> events, String executionUuid, Instant now) {
        List<List<Ancestor>> blockAncestors = new ArrayList<>(events.size());
        for (Event event : events) {
            requireIdentity(event);
            blockAncestors.add(List.of(Ancestor.event(event.id(), event.index())));
        }
        List<String> blockIds = AlertIds.buildingBlockIds(blockAncestors, rule.uuid());

        // The shell descends from every event and every building block, in sequence order.
        List<Ancestor> shellAncestors = new ArrayList<>(events.size() * 2);
        for (int i = 0; i < events.size(); i++) {
            shellAncestors.addAll(blockAncestors.get(i));
            shellAncestors.add(Ancestor.buildingBlock(blockIds.get(i), rule.uuid()));
        }
        String shellId = AlertIds.derivedAlertId(shellAncestors, rule.uuid());

        List<AlertDocument> documents = new ArrayList<>(events.size() + 1);
        List<ObjectNode> blockFields = new ArrayList<>(events.size());
        List<ObjectNode> blockOriginalEvents = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            ObjectNode fields = EventFields.copy(event.source(), mapper);
            ObjectNode originalEvent = EventFields.originalEvent(event.source(), mapper);
            blockFields.add(fields);
            blockOriginalEvents.add(originalEvent);
            ObjectNode doc = alertDocument(now, fields);
            putAlertFields(
                    doc,
                    blockIds.get(i),
                    blockAncestors.get(i),
                    1,
                    event.timestamp(),
                    originalEvent,
                    ReasonMessage.build(fields, severity(), rule.name()),
                    executionUuid,
                    now);
            doc.put("kibana.alert.building_block_type", "default");
            doc.put("kibana.alert.group.id", shellId);
            doc.put("kibana.alert.group.index", i);
            documents.add(new AlertDocument(blockIds.get(i), AlertDocument.Role.BUILDING_BLOCK, doc));
        }

        ObjectNode shared = SharedFields.intersect(blockFields);
        ObjectNode shell = alertDocument(now, shared);
        putAlertFields(
                shell,
                shellId,
                shellAncestors,
                2,
                events.get(0).timestamp(),
                SharedFields.intersect(blockOriginalEvents),
                ReasonMessage.build(shared, severity(), rule.name()),
                executionUuid,
                now);
        shell.put("kibana.alert.group.id", shellId);
        markBuildingBlock(shell);
        if (!overrides.isEmpty()) {
            overrides.apply(shell, shared);
        }
        documents.add(new AlertDocument(shellId, AlertDocument.Role.SHELL, shell));
        return new AlertGroup(
                documents,
                events.get(0).timestamp(),
                events.get(events.size() - 1).timestamp());
    }

    /**
     * A building-block rule ({@code building_block_type: default}) writes every alert as a building
     * block, its shells and single alerts too, so that Kibana's Alerts page hides them by default
     * and they feed other rules and dashboards instead of the triage queue.
     */
    private void markBuildingBlock(ObjectNode doc) {
        if (rule.tuning().buildingBlockType() != null) {
            doc.put("kibana.alert.building_block_type", rule.tuning().buildingBlockType());
        }
    }

    private void requireIdentity(Event event) {
        if (event.id() == null || event.index() == null) {
            throw new IllegalArgumentException("rule '" + rule.name() + "': event at " + event.timestamp()
                    + " has no _id or _index; alerts need both to name their ancestors");
        }
    }

    private String severity() {
        return rule.severity().text();
    }

    private ObjectNode alertDocument(Instant now, ObjectNode eventFields) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("@timestamp", format(now));
        doc.setAll(eventFields.deepCopy());
        doc.put("event.kind", "signal");
        return doc;
    }

    private void putAlertFields(
            ObjectNode doc,
            String id,
            List<Ancestor> ancestors,
            int depth,
            Instant originalTime,
            ObjectNode originalEvent,
            String reason,
            String executionUuid,
            Instant now) {
        doc.put("kibana.alert.uuid", id);
        ArrayNode ancestorNodes = doc.putArray("kibana.alert.ancestors");
        ancestors.forEach(ancestor -> ancestorNodes.add(ancestor.toJson()));
        doc.put("kibana.alert.depth", depth);
        doc.put("kibana.alert.original_time", format(originalTime));
        flatten("kibana.alert.original_event", originalEvent, doc);
        doc.put("kibana.alert.reason", reason);
        doc.put("kibana.alert.status", "active");
        doc.put("kibana.alert.workflow_status", "open");
        doc.putArray("kibana.alert.workflow_tags");
        doc.putArray("kibana.alert.workflow_assignee_ids");
        doc.put("kibana.alert.severity", severity());
        doc.put("kibana.alert.risk_score", rule.riskScore());
        doc.put("kibana.alert.intended_timestamp", format(now));
        if (ruleFields == null) {
            ruleFields = ruleFields(rule);
        }
        doc.setAll(ruleFields.deepCopy());
        doc.put("kibana.alert.rule.execution.uuid", executionUuid);
        doc.put("kibana.alert.rule.execution.type", "scheduled");
        doc.putArray("kibana.space_ids").add(spaceId);
    }

    /** Writes {@code node}'s leaves as flat keys under {@code prefix}, as Kibana writes original_event. */
    private static void flatten(String prefix, JsonNode node, ObjectNode out) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + "." + field.getKey();
            if (field.getValue().isObject()) {
                flatten(key, field.getValue(), out);
            } else {
                out.set(key, field.getValue().deepCopy());
            }
        }
    }

    /** The rule's fields as Kibana copies them onto every alert ({@code kibana.alert.rule.*}). */
    private static ObjectNode ruleFields(Rule rule) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String prefix = "kibana.alert.rule.";
        strings(out.putArray(prefix + "author"), rule.author());
        out.put(prefix + "category", "Event Correlation Rule");
        out.put(prefix + "consumer", "siem");
        out.put(prefix + "description", rule.description());
        out.put(prefix + "enabled", rule.enabled());
        strings(out.putArray(prefix + "false_positives"), rule.falsePositives());
        out.put(prefix + "from", rule.from());
        out.put(prefix + "immutable", false);
        strings(out.putArray(prefix + "indices"), rule.index());
        out.put(prefix + "interval", rule.intervalText());
        out.put(prefix + "license", rule.license());
        out.put(prefix + "max_signals", rule.maxSignals());
        out.put(prefix + "name", rule.name());
        out.put(prefix + "note", rule.note());
        out.set(prefix + "parameters", parameters(rule));
        out.put(prefix + "producer", "siem");
        strings(out.putArray(prefix + "references"), rule.references());
        out.put(prefix + "revision", 0);
        out.put(prefix + "risk_score", rule.riskScore());
        out.put(prefix + "rule_id", rule.ruleId());
        out.put(prefix + "rule_type_id", "siem.eqlRule");
        out.put(prefix + "severity", rule.severity().text());
        strings(out.putArray(prefix + "tags"), rule.tags());
        out.set(prefix + "threat", threat(rule.threat()));
        out.put(prefix + "to", "now");
        out.put(prefix + "type", "eql");
        out.put(prefix + "uuid", rule.uuid());
        out.put(prefix + "version", rule.version());
        if (rule.timestampOverride() != null) {
            out.put(prefix + "timestamp_override", rule.timestampOverride());
        }
        return out;
    }

    /** {@code kibana.alert.rule.parameters}: the rule's own parameters in snake_case, query included. */
    private static ObjectNode parameters(Rule rule) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        strings(out.putArray("author"), rule.author());
        out.put("description", rule.description());
        ArrayNode exceptionsList = out.putArray("exceptions_list");
        rule.tuning().exceptionsList().forEach(reference -> exceptionsList.add(reference.deepCopy()));
        strings(out.putArray("false_positives"), rule.falsePositives());
        out.put("from", rule.from());
        out.put("immutable", false);
        strings(out.putArray("index"), rule.index());
        out.put("language", "eql");
        out.put("license", rule.license());
        out.put("max_signals", rule.maxSignals());
        out.put("note", rule.note());
        out.put("query", rule.queryText());
        strings(out.putArray("references"), rule.references());
        out.putArray("related_integrations");
        out.putArray("required_fields");
        out.put("risk_score", rule.riskScore());
        out.putArray("risk_score_mapping");
        out.put("rule_id", rule.ruleId());
        out.put("setup", "");
        out.put("severity", rule.severity().text());
        out.putArray("severity_mapping");
        out.set("threat", threat(rule.threat()));
        out.put("to", "now");
        out.put("type", "eql");
        out.put("version", rule.version());
        if (rule.timestampOverride() != null) {
            out.put("timestamp_override", rule.timestampOverride());
        }
        if (rule.eventCategoryOverride() != null) {
            out.put("event_category_override", rule.eventCategoryOverride());
        }
        if (rule.tiebreakerField() != null) {
            out.put("tiebreaker_field", rule.tiebreakerField());
        }
        // Kept as written, in place of the empty defaults above, so Kibana's rule details show them.
        out.setAll(rule.tuning().parameters().deepCopy());
        if (!rule.tuning().filters().isEmpty()) {
            ArrayNode filters = out.putArray("filters");
            rule.tuning().filters().forEach(filter -> filters.add(filter.deepCopy()));
        }
        if (rule.tuning().buildingBlockType() != null) {
            out.put("building_block_type", rule.tuning().buildingBlockType());
        }
        if (rule.tuning().suppression() != null) {
            out.set("alert_suppression", suppressionParameter(rule));
        }
        return out;
    }

    private static ObjectNode suppressionParameter(Rule rule) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode groupBy = out.putArray("group_by");
        rule.tuning().suppression().groupBy().forEach(groupBy::add);
        if (rule.tuning().suppression().duration() != null) {
            long seconds = rule.tuning().suppression().duration().toSeconds();
            ObjectNode duration = out.putObject("duration");
            if (seconds % 3600 == 0) {
                duration.put("value", seconds / 3600).put("unit", "h");
            } else if (seconds % 60 == 0) {
                duration.put("value", seconds / 60).put("unit", "m");
            } else {
                duration.put("value", seconds).put("unit", "s");
            }
        }
        out.put("missing_fields_strategy", rule.tuning().suppression().missingFieldsStrategy());
        return out;
    }

    private static ArrayNode threat(List<Threat> threats) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Threat threat : threats) {
            ObjectNode node = out.addObject();
            node.put("framework", threat.framework());
            if (threat.tactic() != null) {
                ObjectNode tactic = node.putObject("tactic");
                tactic.put("id", threat.tactic().id());
                tactic.put("name", threat.tactic().name());
                tactic.put("reference", threat.tactic().reference());
            }
            ArrayNode techniques = node.putArray("technique");
            for (Threat.Technique technique : threat.technique()) {
                ObjectNode techniqueNode = techniques.addObject();
                techniqueNode.put("id", technique.id());
                techniqueNode.put("name", technique.name());
                techniqueNode.put("reference", technique.reference());
                if (!technique.subtechnique().isEmpty()) {
                    ArrayNode subtechniques = techniqueNode.putArray("subtechnique");
                    for (Threat.Subtechnique subtechnique : technique.subtechnique()) {
                        ObjectNode subNode = subtechniques.addObject();
                        subNode.put("id", subtechnique.id());
                        subNode.put("name", subtechnique.name());
                        subNode.put("reference", subtechnique.reference());
                    }
                }
            }
        }
        return out;
    }

    private static void strings(ArrayNode target, List<String> values) {
        values.forEach(target::add);
    }

    /** Kibana's timestamp shape: UTC, millisecond precision, e.g. {@code 2024-05-01T10:00:00.000Z}. */
    static String format(Instant instant) {
        return MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
