package io.eqlwatch.alert;

import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.rule.AlertSuppression;
import java.time.Instant;
import java.util.ArrayList;
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
 * <p>The update is a script that applies only when the alert has not yet counted that far, so a
 * retry, or a re-run of the same batch, does not count twice. The groups' latest alerts are
 * looked up in the alerts index and remembered by this sink (one per rule, living across
 * executions), because an alert written a moment ago is not yet searchable.
 */
public final class SuppressingAlertSink implements AlertSink {

    private static final Logger LOG = LoggerFactory.getLogger(SuppressingAlertSink.class);

    /** Groups whose latest alert this sink remembers; beyond that the index is asked. */
    static final int REMEMBERED_GROUPS = 10_000;

    private static final String FOLD_SCRIPT = """
            String counted = ctx._source['eqlwatch.suppression.counted_to'];
            if (counted != null && counted.compareTo(params.counted_to) >= 0) {
              ctx.op = 'noop';
            } else {
              def before = ctx._source['kibana.alert.suppression.docs_count'];
              ctx._source['kibana.alert.suppression.docs_count'] = (before == null ? 0 : before) + params.count;
              ctx._source['kibana.alert.suppression.end'] = params.end;
              ctx._source['kibana.alert.last_detected'] = params.now;
              ctx._source['eqlwatch.suppression.counted_to'] = params.counted_to;
            }
            """;

    private final AlertWriter writer;
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
    public synchronized WriteSummary write(List<AlertGroup> groups, int maxSignals) throws AlertWriteException {
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
        SuppressionPlan.Outcome outcome = plan.plan(suppressible, latest, executionUuid, now, maxSignals);
        List<AlertGroup> toWrite = new ArrayList<>(outcome.fresh());
        toWrite.addAll(plain);
        WriteSummary written = toWrite.isEmpty() ? WriteSummary.empty() : writer.write(toWrite, maxSignals);
        remembered.putAll(outcome.latest());
        int folded = 0;
        for (SuppressionPlan.Fold fold : outcome.folds()) {
            update(fold);
            folded += fold.count();
        }
        suppressed += folded;
        if (folded > 0) {
            LOG.info("rule {}: {} match(es) suppressed into {} open alert(s)", ruleUuid, folded, outcome.folds().size());
        }
        return new WriteSummary(written.writtenSequences(), written.writtenDocuments(),
                written.duplicatesSkipped() + outcome.duplicates(), written.droppedByCap() + outcome.dropped(),
                written.warnings(), written.oldestDropped());
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
                boolean open = indexed != null && indexed.alertId().equals(known.alertId()) ? indexed.open() : known.open();
                chosen = new SuppressionPlan.Latest(known.alertId(), known.index(), open, known.executionUuid(),
                        known.end(), known.countedTo());
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
            response = writer.retry().run("looking up the open alert of a suppression group in '" + writer.index() + "'",
                    () -> writer.client().search(s -> s
                            .index(writer.index())
                            .ignoreUnavailable(true)
                            .allowNoIndices(true)
                            .size(1)
                            .query(q -> q.bool(b -> b
                                    .filter(f -> f.term(t -> t.field(SuppressionPlan.INSTANCE_ID).value(instance)))
                                    .filter(f -> f.term(t -> t.field("kibana.alert.rule.uuid").value(ruleUuid)))))
                            .sort(o -> o.field(f -> f.field(SuppressionPlan.END).order(SortOrder.Desc)
                                    .unmappedType(co.elastic.clients.elasticsearch._types.mapping.FieldType.Date)))
                            .sort(o -> o.field(f -> f.field("kibana.alert.uuid").order(SortOrder.Desc)
                                    .unmappedType(co.elastic.clients.elasticsearch._types.mapping.FieldType.Keyword))),
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
        return new SuppressionPlan.Latest(hit.id(), hit.index(),
                "open".equals(source.path("kibana.alert.workflow_status").asText()),
                source.path("kibana.alert.rule.execution.uuid").asText(null), end, counted);
    }

    private void update(SuppressionPlan.Fold fold) throws AlertWriteException {
        String target = fold.index() != null ? fold.index() : writer.index();
        Map<String, JsonData> params = new HashMap<>();
        params.put("count", JsonData.of(fold.count()));
        params.put("end", JsonData.of(AlertBuilder.format(fold.end())));
        params.put("now", JsonData.of(AlertBuilder.format(now)));
        params.put("counted_to", JsonData.of(fold.countedTo()));
        try {
            writer.retry().run("updating suppressed alert " + fold.alertId() + " in '" + target + "'",
                    () -> writer.client().update(u -> {
                        u.index(target).id(fold.alertId()).retryOnConflict(3)
                                .script(s -> s.source(FOLD_SCRIPT).lang("painless").params(params));
                        if (writer.refreshWaitFor()) {
                            u.refresh(Refresh.WaitFor);
                        }
                        return u;
                    }, JsonNode.class));
        } catch (ElasticsearchCallException e) {
            throw new AlertWriteException(e.getMessage(), WriteSummary.empty(), e.getCause());
        }
    }

}
