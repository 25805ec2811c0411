package io.eqlwatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.rule.AlertSuppression;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides, for one batch of matches of a rule with {@code alert_suppression}, which become new
 * alerts and which are folded into an open alert of their group, as Kibana's EQL rules do. Pure:
 * the latest alert of each group is looked up by the caller.
 *
 * <p>A group is the values of the {@code group_by} fields on the match's primary alert (a
 * sequence's shell, i.e. the fields all its events share), compared exactly, arrays in order.
 * Matches are taken in the order they were complete (last event's time, then alert id), which
 * a re-run sees again: a match at or before the point its group's latest alert has counted to
 * is already counted, so a re-run over an overlapping window neither counts twice nor writes a
 * second alert. A match is folded into the latest alert of its group when that alert is open
 * ({@code kibana.alert.workflow_status: open}; an acknowledged or closed one absorbs nothing) and,
 * with a {@code duration}, the match completed at most that long after the alert's last folded
 * match (event time, so a backfill folds as the live run did); without one, when the alert was
 * written by the same execution.
 */
public final class SuppressionPlan {

    static final String TERMS = "kibana.alert.suppression.terms";
    static final String START = "kibana.alert.suppression.start";
    static final String END = "kibana.alert.suppression.end";
    static final String DOCS_COUNT = "kibana.alert.suppression.docs_count";
    static final String INSTANCE_ID = "kibana.alert.instance.id";
    static final String LAST_DETECTED = "kibana.alert.last_detected";
    /** How far the alert has counted: its last folded match as {@code <time, 9 fraction digits>|<id>}. */
    static final String COUNTED_TO = "eqlwatch.suppression.counted_to";

    private static final DateTimeFormatter NANOS = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    /** The latest alert of a group, as the alerts index (or this process) knows it. */
    public record Latest(
            String alertId, String index, boolean open, String executionUuid, Instant end, String countedTo) {}

    /** Matches folded into an existing alert: add {@code count}, and it has counted to {@code countedTo}. */
    public record Fold(String alertId, String index, String instanceId, int count, Instant end, String countedTo) {}

    /**
     * @param fresh      new alerts, suppression fields set, in order; at most the cap
     * @param folds      per absorbing alert, what to add to it (an alert of {@code fresh} may absorb too)
     * @param duplicates matches already counted by an earlier run
     * @param dropped    new alerts beyond the cap, and the matches that would have folded into them
     * @param latest     each group's latest alert after this batch, for the next batch of the run
     * @param foldedInto for each folded match (by its alert id), the alert it was folded into
     */
    public record Outcome(
            List<AlertGroup> fresh,
            List<Fold> folds,
            int duplicates,
            int dropped,
            Map<String, Latest> latest,
            Map<String, String> foldedInto) {}

    private final AlertSuppression suppression;
    private final String ruleUuid;
    private final String spaceId;

    public SuppressionPlan(AlertSuppression suppression, String ruleUuid, String spaceId) {
        this.suppression = Objects.requireNonNull(suppression, "suppression");
        this.ruleUuid = Objects.requireNonNull(ruleUuid, "ruleUuid");
        this.spaceId = Objects.requireNonNull(spaceId, "spaceId");
    }

    /** The group's terms on a match's primary alert, Kibana's {@code [{field, value}]}; value null when missing. */
    public ArrayNode terms(AlertGroup group) {
        ArrayNode terms = JsonNodeFactory.instance.arrayNode();
        for (String field : suppression.groupBy()) {
            ObjectNode term = terms.addObject();
            term.put("field", field);
            List<JsonNode> values = DocumentFields.values(group.primary().source(), field);
            if (values.isEmpty()) {
                term.putNull("value");
            } else {
                ArrayNode array = term.putArray("value");
                values.forEach(v -> array.add(v.deepCopy()));
            }
        }
        return terms;
    }

    /** Whether the match misses a group-by field and the rule says not to suppress such matches. */
    public boolean unsuppressed(ArrayNode terms) {
        if (suppression.suppressMissing()) {
            return false;
        }
        for (JsonNode term : terms) {
            if (term.get("value").isNull()) {
                return true;
            }
        }
        return false;
    }

    /** Kibana's {@code kibana.alert.instance.id} for a group: a hash of its terms, the rule and the space. */
    public String instanceId(ArrayNode terms) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((ruleUuid + "\u0000" + spaceId + "\u0000" + terms).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String countedTo(AlertGroup group) {
        return NANOS.format(group.lastTime()) + "|" + group.id();
    }

    /**
     * Plans one batch.
     *
     * @param groups        the batch's suppressible matches (not those {@link #unsuppressed})
     * @param latest        each group's latest alert by instance id, absent when the group has none
     * @param executionUuid the running execution
     * @param now           the execution's instant ({@code kibana.alert.last_detected})
     * @param cap           new alerts allowed
     */
    public Outcome plan(
            List<AlertGroup> groups, Map<String, Latest> latest, String executionUuid, Instant now, int cap) {
        Map<String, List<AlertGroup>> byInstance = new LinkedHashMap<>();
        Map<String, ArrayNode> termsOf = new LinkedHashMap<>();
        for (AlertGroup group : groups) {
            ArrayNode terms = terms(group);
            String instance = instanceId(terms);
            byInstance.computeIfAbsent(instance, k -> new ArrayList<>()).add(group);
            termsOf.put(instance, terms);
        }
        // New alerts are allotted by completion time across all groups, as an unsuppressed run would.
        List<Map.Entry<String, AlertGroup>> ordered = new ArrayList<>();
        byInstance.forEach((instance, list) -> list.forEach(g -> ordered.add(Map.entry(instance, g))));
        ordered.sort(Comparator.comparing((Map.Entry<String, AlertGroup> e) -> countedTo(e.getValue())));

        Map<String, Latest> state = new LinkedHashMap<>(latest);
        Map<String, Fold> folds = new LinkedHashMap<>();
        Map<String, String> foldedInto = new LinkedHashMap<>();
        Set<String> droppedInstances = new HashSet<>();
        List<AlertGroup> fresh = new ArrayList<>();
        int duplicates = 0;
        int dropped = 0;
        for (Map.Entry<String, AlertGroup> entry : ordered) {
            String instance = entry.getKey();
            AlertGroup group = entry.getValue();
            String key = countedTo(group);
            Latest current = state.get(instance);
            if (current != null && current.countedTo() != null && key.compareTo(current.countedTo()) <= 0) {
                duplicates++;
                continue;
            }
            if (droppedInstances.contains(instance)) {
                dropped++;
                continue;
            }
            if (current != null && absorbs(current, group, executionUuid)) {
                Fold before = folds.get(current.alertId());
                int count = before == null ? 1 : before.count() + 1;
                folds.put(
                        current.alertId(),
                        new Fold(current.alertId(), current.index(), instance, count, group.lastTime(), key));
                foldedInto.put(group.id(), current.alertId());
                state.put(
                        instance,
                        new Latest(
                                current.alertId(),
                                current.index(),
                                true,
                                current.executionUuid(),
                                group.lastTime(),
                                key));
                continue;
            }
            if (fresh.size() >= cap) {
                dropped++;
                droppedInstances.add(instance);
                continue;
            }
            fresh.add(withSuppressionFields(group, termsOf.get(instance), instance, key, now));
            state.put(instance, new Latest(group.id(), null, true, executionUuid, group.lastTime(), key));
        }
        return new Outcome(fresh, new ArrayList<>(folds.values()), duplicates, dropped, state, foldedInto);
    }

    private boolean absorbs(Latest alert, AlertGroup group, String executionUuid) {
        if (!alert.open()) {
            return false;
        }
        if (suppression.duration() == null) {
            return executionUuid.equals(alert.executionUuid());
        }
        Duration gap = Duration.between(alert.end(), group.lastTime());
        return gap.compareTo(suppression.duration()) <= 0;
    }

    private static AlertGroup withSuppressionFields(
            AlertGroup group, ArrayNode terms, String instance, String key, Instant now) {
        List<AlertDocument> documents = new ArrayList<>(group.documents());
        AlertDocument primary = group.primary();
        ObjectNode source = primary.source().deepCopy();
        source.set(TERMS, terms.deepCopy());
        String time = AlertBuilder.format(group.lastTime());
        source.put(START, time);
        source.put(END, time);
        source.put(DOCS_COUNT, 0);
        source.put(INSTANCE_ID, instance);
        source.put(COUNTED_TO, key);
        source.put(LAST_DETECTED, AlertBuilder.format(now));
        documents.set(documents.size() - 1, new AlertDocument(primary.id(), primary.role(), source));
        return new AlertGroup(documents, group.originalTime(), group.lastTime());
    }
}
