package io.eqlwatch.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the notifications a window's new alerts owe, before those alerts are written.
 *
 * <p>Why before: if the process dies after writing alerts but before recording notifications,
 * the next run sees those alerts as duplicates and would never notify. Recorded first, with
 * deterministic ids and create semantics, a notification exists whenever its alert does; one whose
 * alert was never written (the process died in between, or {@code max_signals} held it back) is
 * held by the dispatcher until the alert appears.
 */
public final class OutboxStager {

    private final OutboxStore store;
    private final AlertLookup alerts;
    private final String alertsIndex;
    private final String spaceId;
    private final Clock clock;

    public OutboxStager(OutboxStore store, AlertLookup alerts, String alertsIndex, String spaceId, Clock clock) {
        this.store = store;
        this.alerts = alerts;
        this.alertsIndex = alertsIndex;
        this.spaceId = spaceId;
        this.clock = clock;
    }

    /**
     * Stages one notification per action for each group whose alert does not exist yet. Groups
     * already written (an overlapping window, a re-run) owe nothing: they were staged when new.
     *
     * @return how many entries were staged (including ones that already existed)
     * @throws NotifyStoreException when Elasticsearch cannot take them; the execution must then fail
     *                              before writing alerts, so that nothing goes unnotified
     */
    public int stage(Rule rule, String executionId, List<AlertGroup> groups) {
        if (rule.actions().isEmpty() || groups.isEmpty()) {
            return 0;
        }
        Map<String, AlertGroup> byId = new LinkedHashMap<>();
        groups.forEach(group -> byId.putIfAbsent(group.id(), group));
        byId.keySet().removeAll(alerts.existing(byId.keySet()));
        return stageNew(rule, executionId, List.copyOf(byId.values()));
    }

    /**
     * Stages one notification per action for each group, known to be new (the run loop found no
     * alert for it); a group staged before is left as it is.
     */
    public int stageNew(Rule rule, String executionId, List<AlertGroup> groups) {
        if (rule.actions().isEmpty() || groups.isEmpty()) {
            return 0;
        }
        Map<String, AlertGroup> byId = new LinkedHashMap<>();
        groups.forEach(group -> byId.putIfAbsent(group.id(), group));
        Instant now = clock.instant();
        List<OutboxEntry> entries = new ArrayList<>();
        for (AlertGroup group : byId.values()) {
            ObjectNode context = AlertContext.of(rule, group, alertsIndex, spaceId);
            for (RuleAction action : rule.actions()) {
                entries.add(pending(rule, action, group, context, executionId, now));
            }
        }
        store.stage(entries);
        return entries.size();
    }

    /** A notification of the group's alert through the action, not yet sent. */
    static OutboxEntry pending(
            Rule rule, RuleAction action, AlertGroup group, ObjectNode context, String executionId, Instant now) {
        return new OutboxEntry(
                id(rule.ruleId(), action, group.id()),
                rule.ruleId(),
                rule.name(),
                action.connector(),
                action.key(),
                action.frequency(),
                action.interval(),
                action.throttle(),
                action.templates(),
                group.id(),
                group.originalTime(),
                executionId,
                now,
                OutboxEntry.Status.PENDING,
                0,
                now,
                null,
                null,
                context,
                -1,
                -1);
    }

    /** The notification's id: the same alert and action always give the same id. */
    static String id(String ruleId, RuleAction action, String alertId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ruleId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(action.key().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(alertId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
