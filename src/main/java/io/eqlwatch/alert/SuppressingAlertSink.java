package io.eqlwatch.alert;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.rule.AlertSuppression;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert sink of a rule with {@code alert_suppression}: folds each match into the open alert
 * of its group (see {@link SuppressionPlan}) and writes only the new alerts, then updates the
 * folding alerts' {@code kibana.alert.suppression.docs_count}, {@code .end} and
 * {@code kibana.alert.last_detected}. A sequence folded into an alert writes none of its building
 * blocks, as in Kibana.
 *
 * <p>An update applies only when the alert has not yet counted that far, so a retry, or a re-run
 * of the same batch, does not count twice. The groups' latest alerts are
 * looked up in the alerts index and remembered by this sink (one per rule, living across
 * executions), because an alert written a moment ago is not yet searchable.
 */
public final class SuppressingAlertSink implements AlertSink {

    private static final Logger LOG = LoggerFactory.getLogger(SuppressingAlertSink.class);

    /** Groups whose latest alert this sink remembers; beyond that the index is asked. */
    static final int REMEMBERED_GROUPS = 10_000;

    /** Attempts at an update another writer got in before. */
    private static final int UPDATE_ATTEMPTS = 5;

    private final AlertWriter writer;
    /** Where the matches that fold into no open alert go: the writer, or a layer over it (notifications). */
    private final AlertSink downstream;

    private final SuppressionPlan plan;
    private final String ruleUuid;
    private final Map<String, SuppressionPlan.Latest> remembered = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SuppressionPlan.Latest> eldest) {
            return size() > REMEMBERED_GROUPS;
        }
    };
    private String executionUuid;
    private Instant now;
    private int suppressed;

    public SuppressingAlertSink(AlertWriter writer, AlertSuppression suppression, String ruleUuid, String spaceId) {
        this(writer, writer, suppression, ruleUuid, spaceId);
    }

    /**
     * @param downstream receives the new alerts, so that a layer between this and the writer (the notification
     *                   outbox) sees exactly the alerts that are written, and none of the folded matches
     * @param writer     the alerts index the open alerts of the groups are found and updated in
     */
    public SuppressingAlertSink(
            AlertSink downstream, AlertWriter writer, AlertSuppression suppression, String ruleUuid, String spaceId) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.plan = new SuppressionPlan(suppression, ruleUuid, spaceId);
        this.ruleUuid = ruleUuid;
    }

    /** Starts an execution: without a duration, only its own alerts fold matches. */
    public synchronized void startExecution(String executionUuid, Instant now) {
        this.executionUuid = executionUuid;
        this.now = now;
        this.suppressed = 0;
    }

    /** Matches folded into an existing alert since {@link #startExecution}. */
    public synchronized int suppressed() {
        return suppressed;
    }

    @Override
    public Set<String> existing(Collection<String> documentIds) throws AlertWriteException {
        return downstream.existing(documentIds);
    }

    /**
     * Writes the new alerts among the groups and folds the others into their groups' open alerts.
     * The run loop has already applied {@code max_signals}; a folded match counts against it as the
     * alert it would have been.
     */
    @Override
    public synchronized WriteResult write(List<AlertGroup> groups) throws AlertWriteException {
        if (executionUuid == null) {
            throw new IllegalStateException("startExecution was not called");
        }
        List<AlertGroup> plain = new ArrayList<>();
        List<AlertGroup> suppressible = new ArrayList<>();
        Set<String> instances = new LinkedHashSet<>();
        for (AlertGroup group : groups) {
            ArrayNode terms = plan.terms(group);
            if (plan.unsuppressed(terms)) {
                plain.add(group);
            } else {
                suppressible.add(group);
                instances.add(plan.instanceId(terms));
            }
        }
        Map<String, SuppressionPlan.Latest> latest = latest(instances);
        SuppressionPlan.Outcome outcome = plan.plan(suppressible, latest, executionUuid, now, Integer.MAX_VALUE);
        List<AlertGroup> toWrite = new ArrayList<>(outcome.fresh());
        toWrite.addAll(plain);
        WriteResult written = toWrite.isEmpty() ? WriteResult.NONE : downstream.write(toWrite);
        remembered.putAll(outcome.latest());
        int folded = 0;
        Set<String> updated = new LinkedHashSet<>();
        try {
            for (SuppressionPlan.Fold fold : outcome.folds()) {
                updated.add(update(fold));
                folded += fold.count();
            }
        } finally {
            updated.remove(null);
            writer.makeSearchable(updated);
        }
        suppressed += folded;
        if (folded > 0) {
            LOG.info(
                    "rule {}: {} match(es) suppressed into {} open alert(s)",
                    ruleUuid,
                    folded,
                    outcome.folds().size());
        }
        return new WriteResult(
                written.createdIds(), written.writtenDocuments(), written.duplicates() + outcome.duplicates());
    }

    /** Each group's latest alert: from the index, or from memory when it knows a later one (not yet searchable). */
    private Map<String, SuppressionPlan.Latest> latest(Set<String> instances) throws AlertWriteException {
        Map<String, SuppressionPlan.Latest> out = new HashMap<>();
        for (String instance : instances) {
            SuppressionPlan.Latest indexed = search(instance);
            SuppressionPlan.Latest known = remembered.get(instance);
            SuppressionPlan.Latest chosen = indexed;
            if (known != null && (indexed == null || known.countedTo().compareTo(indexed.countedTo()) > 0)) {
                // The index lags; keep what it says of the same alert's status when it has it.
                boolean open =
                        indexed != null && indexed.alertId().equals(known.alertId()) ? indexed.open() : known.open();
                chosen = new SuppressionPlan.Latest(
                        known.alertId(), known.index(), open, known.executionUuid(), known.end(), known.countedTo());
            }
            if (chosen != null) {
                out.put(instance, chosen);
            }
        }
        return out;
    }

    private SuppressionPlan.Latest search(String instance) throws AlertWriteException {
        SearchResponse<JsonNode> response;
        try {
            response = writer.retry()
                    .run(
                            "looking up the open alert of a suppression group in '" + writer.index() + "'",
                            () -> writer.client()
                                    .search(
                                            s -> s.index(writer.index())
                                                    .ignoreUnavailable(true)
                                                    .allowNoIndices(true)
                                                    .size(1)
                                                    .query(q -> q.bool(b -> b.filter(f ->
                                                                    f.term(t -> t.field(SuppressionPlan.INSTANCE_ID)
                                                                            .value(instance)))
                                                            .filter(f -> f.term(t -> t.field("kibana.alert.rule.uuid")
                                                                    .value(ruleUuid)))))
                                                    .sort(o -> o.field(f -> f.field(SuppressionPlan.END)
                                                            .order(SortOrder.Desc)
                                                            .unmappedType(
                                                                    co.elastic.clients.elasticsearch._types.mapping
                                                                            .FieldType.Date)))
                                                    .sort(o -> o.field(f -> f.field("kibana.alert.uuid")
                                                            .order(SortOrder.Desc)
                                                            .unmappedType(
                                                                    co.elastic.clients.elasticsearch._types.mapping
                                                                            .FieldType.Keyword))),
                                            JsonNode.class));
        } catch (ElasticsearchCallException e) {
            throw new AlertWriteException(e.getMessage(), WriteSummary.empty(), e.getCause());
        }
        List<Hit<JsonNode>> hits = response.hits().hits();
        if (hits.isEmpty() || hits.get(0).source() == null) {
            return null;
        }
        Hit<JsonNode> hit = hits.get(0);
        JsonNode source = hit.source();
        String counted = source.path(SuppressionPlan.COUNTED_TO).asText(null);
        Instant end = Instant.parse(source.path(SuppressionPlan.END).asText());
        if (counted == null) {
            // Written by another tool: it has counted up to its end.
            counted = end + "|";
        }
        return new SuppressionPlan.Latest(
                hit.id(),
                hit.index(),
                "open".equals(source.path("kibana.alert.workflow_status").asText()),
                source.path("kibana.alert.rule.execution.uuid").asText(null),
                end,
                counted);
    }

    /**
     * Adds a fold to its alert with optimistic concurrency: read the alert (a real-time get), skip
     * when it has already counted this far, else write the new counts on condition that nobody
     * changed it meanwhile. Scripts would do it in one call, but a cluster without the painless
     * module (Elastic's integ-test distribution, some hardened ones) cannot run them.
     *
     * @return the index the alert was updated in, or null when it had already counted this far
     */
    private String update(SuppressionPlan.Fold fold) throws AlertWriteException {
        String what = "updating suppressed alert " + fold.alertId();
        try {
            String target = fold.index() != null ? fold.index() : writeIndex();
            for (int attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
                GetResponse<ObjectNode> current = writer.retry()
                        .run(what + " in '" + target + "'", () -> writer.client()
                                .get(g -> g.index(target).id(fold.alertId()).realtime(true), ObjectNode.class));
                if (!current.found() || current.source() == null) {
                    throw new AlertWriteException(
                            what + ": it is not in '" + target + "' (deleted?)", WriteSummary.empty(), null);
                }
                ObjectNode source = current.source();
                String counted = source.path(SuppressionPlan.COUNTED_TO).asText(null);
                if (counted != null && counted.compareTo(fold.countedTo()) >= 0) {
                    return null;
                }
                Map<String, Object> change = new LinkedHashMap<>();
                change.put(
                        SuppressionPlan.DOCS_COUNT,
                        source.path(SuppressionPlan.DOCS_COUNT).asLong(0) + fold.count());
                change.put(SuppressionPlan.END, AlertBuilder.format(fold.end()));
                change.put(SuppressionPlan.LAST_DETECTED, AlertBuilder.format(now));
                change.put(SuppressionPlan.COUNTED_TO, fold.countedTo());
                long seqNo = current.seqNo();
                long term = current.primaryTerm();
                try {
                    writer.retry().run(what + " in '" + target + "'", () -> writer.client()
                            .update(
                                    u -> {
                                        u.index(target)
                                                .id(fold.alertId())
                                                .ifSeqNo(seqNo)
                                                .ifPrimaryTerm(term)
                                                .doc(change);
                                        return u;
                                    },
                                    ObjectNode.class));
                    return target;
                } catch (ElasticsearchCallException e) {
                    if (!(e.getCause() instanceof ElasticsearchException es) || es.status() != 409) {
                        throw e;
                    }
                    // Someone else changed the alert (an analyst, another process): read it again.
                }
            }
            throw new AlertWriteException(
                    what + ": it kept changing under " + UPDATE_ATTEMPTS + " attempts", WriteSummary.empty(), null);
        } catch (ElasticsearchCallException e) {
            throw new AlertWriteException(e.getMessage(), WriteSummary.empty(), e.getCause());
        }
    }

    /** The index new alerts went to: the write index behind the alias, or the index itself. */
    private String writeIndex() {
        try {
            var aliases = writer.retry()
                    .run(
                            "resolving the write index of '" + writer.index() + "'",
                            () -> writer.client().indices().getAlias(a -> a.name(writer.index())));
            String only = null;
            for (var entry : aliases.result().entrySet()) {
                var alias = entry.getValue().aliases().get(writer.index());
                if (alias != null && Boolean.TRUE.equals(alias.isWriteIndex())) {
                    return entry.getKey();
                }
                only = entry.getKey();
            }
            return aliases.result().size() == 1 ? only : writer.index();
        } catch (ElasticsearchCallException e) {
            // Not an alias (a plain index, or Kibana's own alerts alias we may not inspect): use the name.
            return writer.index();
        }
    }
}
