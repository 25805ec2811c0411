package io.eqlwatch.schedule;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.RetryPolicy;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps run state in an index of eqlwatch's own (default {@code eqlwatch-state}): one checkpoint
 * document per rule, one document per execution (the execution log Kibana shows for its rules), and
 * one per recorded gap. Writes wait for refresh so that the next run, or {@code status}, reads them.
 */
public final class ElasticsearchRunStateStore implements RunStateStore {

    public static final String DEFAULT_INDEX = "eqlwatch-state";

    /** Old executions deleted per bulk request by the history retention. */
    private static final int DELETE_PAGE = 1000;

    private static final String MAPPING = """
            {"dynamic": false, "properties": {
              "type": {"type": "keyword"}, "rule_id": {"type": "keyword"}, "rule_name": {"type": "keyword"},
              "checkpoint": {"type": "date"}, "updated": {"type": "date"},
              "execution_id": {"type": "keyword"}, "started": {"type": "date"}, "took_ms": {"type": "long"},
              "window_start": {"type": "date"}, "window_end": {"type": "date"},
              "events_read": {"type": "long"}, "sequences_found": {"type": "long"},
              "alerts_written": {"type": "long"}, "duplicates_skipped": {"type": "long"},
              "dropped_by_cap": {"type": "long"}, "status": {"type": "keyword"},
              "open_sequences_peak": {"type": "long"}, "checkpoint_lag_ms": {"type": "long"},
              "unfilled_gap_ms": {"type": "long"},
              "error": {"type": "text"}, "warnings": {"type": "text"},
              "gap_start": {"type": "date"}, "gap_end": {"type": "date"}
            }}""";

    private final ElasticsearchClient client;
    private final String index;
    private final RetryPolicy retry;
    private volatile boolean ready;

    public ElasticsearchRunStateStore(ElasticsearchClient client, String index) {
        this(client, index, RetryPolicy.DEFAULT);
    }

    /** @param retry how every call to the state index is retried when the cluster fails for a moment */
    public ElasticsearchRunStateStore(ElasticsearchClient client, String index, RetryPolicy retry) {
        this.client = client;
        this.index = index;
        this.retry = retry;
    }

    /** Creates the state index if it is missing; safe to call from several processes at once. */
    public void install() {
        try {
            boolean exists = retry.run("checking the state index " + index, "view_index_metadata on " + index,
                    () -> client.indices().exists(e -> e.index(index)).value());
            if (!exists) {
                retry.run("creating the state index " + index, "create_index on " + index,
                        () -> client.indices().create(c -> c.index(index)
                                .settings(s -> s.numberOfShards("1").numberOfReplicas("0").autoExpandReplicas("0-1"))
                                .mappings(m -> m.withJson(new StringReader(MAPPING)))));
            }
            ready = true;
        } catch (ElasticsearchCallException e) {
            // Another process (or this one's own unanswered first attempt) created it: that is what we wanted.
            if (!"resource_already_exists_exception".equals(e.errorType())) {
                throw new StateStoreException("cannot prepare the state index " + index + ": " + e.getMessage(), e);
            }
            ready = true;
        }
    }

    private void ensureInstalled() {
        if (!ready) {
            install();
        }
    }

    @Override
    public Optional<Instant> checkpoint(String ruleId) {
        ensureInstalled();
        try {
            GetResponse<ObjectNode> response = retry.run("reading the checkpoint of rule " + ruleId + " from " + index,
                    "read on " + index, () -> client.get(g -> g.index(index).id(checkpointId(ruleId)), ObjectNode.class));
            if (!response.found() || response.source() == null) {
                return Optional.empty();
            }
            return Optional.of(Instant.parse(response.source().path("checkpoint").asText()));
        } catch (ElasticsearchCallException e) {
            throw new StateStoreException(e.getMessage(), e);
        }
    }

    @Override
    public void saveCheckpoint(String ruleId, Instant checkpoint) {
        ensureInstalled();
        ObjectNode doc = JsonNodeFactory.instance.objectNode()
                .put("type", "checkpoint")
                .put("rule_id", ruleId)
                .put("checkpoint", checkpoint.toString())
                .put("updated", Instant.now().toString());
        write(checkpointId(ruleId), doc, "the checkpoint of rule " + ruleId);
    }

    @Override
    public void recordExecution(ExecutionSummary summary) {
        ensureInstalled();
        write("execution:" + summary.executionId(), executionDocument(summary), "execution " + summary.executionId());
    }

    @Override
    public void recordGap(String ruleId, TimeWindow gap, String backfillCommand) {
        ensureInstalled();
        ObjectNode doc = JsonNodeFactory.instance.objectNode()
                .put("type", "gap")
                .put("rule_id", ruleId)
                .put("gap_start", gap.start().toString())
                .put("gap_end", gap.end().toString())
                .put("backfill_command", backfillCommand)
                .put("updated", Instant.now().toString());
        write("gap:" + ruleId + ":" + gap.start(), doc, "a gap of rule " + ruleId);
    }

    @Override
    public void clearGapsWithin(String ruleId, TimeWindow covered) {
        for (RecordedGap gap : gaps(ruleId)) {
            if (!gap.range().start().isBefore(covered.start()) && !gap.range().end().isAfter(covered.end())) {
                try {
                    retry.run("clearing a filled gap of rule " + ruleId + " in " + index, "delete on " + index,
                            () -> client.delete(d -> d.index(index).id("gap:" + ruleId + ":" + gap.range().start())
                                    .refresh(Refresh.True)));
                } catch (ElasticsearchCallException e) {
                    throw new StateStoreException(e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public List<ExecutionSummary> executions(String ruleId, int limit) {
        List<ExecutionSummary> out = new ArrayList<>();
        for (ObjectNode doc : search("execution", ruleId, "started", SortOrder.Desc, limit)) {
            out.add(summaryFrom(doc));
        }
        return out;
    }

    @Override
    public List<RecordedGap> gaps(String ruleId) {
        List<RecordedGap> out = new ArrayList<>();
        for (ObjectNode doc : search("gap", ruleId, "gap_start", SortOrder.Asc, 1000)) {
            out.add(new RecordedGap(ruleId, new TimeWindow(Instant.parse(doc.path("gap_start").asText()),
                    Instant.parse(doc.path("gap_end").asText())), doc.path("backfill_command").asText()));
        }
        return out;
    }

    /**
     * Deletes the execution history recorded before {@code cutoff} (by when each execution started);
     * checkpoints and gaps stay, since they are state, not history. Deletes by id in bulk pages
     * rather than with delete_by_query, which lives in the reindex module that minimal
     * distributions leave out.
     *
     * @return how many executions were deleted
     */
    public long deleteExecutionsStartedBefore(Instant cutoff) {
        ensureInstalled();
        long deleted = 0;
        try {
            while (true) {
                SearchResponse<Void> page = client.search(s -> s.index(index).size(DELETE_PAGE).source(src -> src.fetch(false))
                        .query(q -> q.bool(b -> b
                                .filter(f -> f.term(t -> t.field("type").value("execution")))
                                .filter(f -> f.range(r -> r.date(dr -> dr.field("started").lt(cutoff.toString())))))),
                        Void.class);
                List<BulkOperation> deletes = new ArrayList<>();
                page.hits().hits().forEach(hit -> deletes.add(BulkOperation.of(o -> o.delete(d -> d.index(index).id(hit.id())))));
                if (deletes.isEmpty()) {
                    return deleted;
                }
                BulkResponse response = client.bulk(b -> b.operations(deletes).refresh(Refresh.True));
                long failed = response.items().stream().filter(item -> item.error() != null).count();
                if (failed > 0) {
                    throw new StateStoreException(failed + " of " + deletes.size() + " old executions could not be"
                            + " deleted from " + index + ", e.g. " + response.items().stream()
                            .filter(item -> item.error() != null).findFirst().orElseThrow().error().reason(), null);
                }
                deleted += deletes.size();
            }
        } catch (IOException | ElasticsearchException e) {
            throw new StateStoreException("cannot delete executions older than " + cutoff + " from " + index + ": "
                    + e.getMessage(), e);
        }
    }

    private List<ObjectNode> search(String type, String ruleId, String sortField, SortOrder order, int size) {
        ensureInstalled();
        try {
            SearchResponse<ObjectNode> response = retry.run("reading the " + type + " history of rule " + ruleId
                    + " from " + index, "read on " + index, () -> client.search(s -> s.index(index)
                    .query(q -> q.bool(b -> b
                            .filter(f -> f.term(t -> t.field("type").value(type)))
                            .filter(f -> f.term(t -> t.field("rule_id").value(ruleId)))))
                    .sort(o -> o.field(f -> f.field(sortField).order(order)))
                    .size(size), ObjectNode.class));
            List<ObjectNode> out = new ArrayList<>();
            for (Hit<ObjectNode> hit : response.hits().hits()) {
                out.add(hit.source());
            }
            return out;
        } catch (ElasticsearchCallException e) {
            throw new StateStoreException(e.getMessage(), e);
        }
    }

    private void write(String id, ObjectNode doc, String what) {
        try {
            // An immediate refresh of this small index: the next run and `status` must see the write,
            // and wait_for would add up to a second per write. Overwriting a document by id needs the
            // index privilege (create_doc only creates).
            retry.run("recording " + what + " in " + index, "index on " + index,
                    () -> client.index(i -> i.index(index).id(id).document(doc).refresh(Refresh.True)));
        } catch (ElasticsearchCallException e) {
            throw new StateStoreException(e.getMessage(), e);
        }
    }

    private static String checkpointId(String ruleId) {
        return "checkpoint:" + ruleId;
    }

    static ObjectNode executionDocument(ExecutionSummary summary) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode()
                .put("type", "execution")
                .put("rule_id", summary.ruleId())
                .put("rule_name", summary.ruleName())
                .put("execution_id", summary.executionId())
                .put("started", summary.started().toString())
                .put("took_ms", summary.took().toMillis())
                .put("events_read", summary.eventsRead())
                .put("sequences_found", summary.sequencesFound())
                .put("alerts_written", summary.alertsWritten())
                .put("duplicates_skipped", summary.duplicatesSkipped())
                .put("dropped_by_cap", summary.droppedByCap())
                .put("status", summary.outcome())
                .put("open_sequences_peak", summary.peakOpenSequences())
                .put("checkpoint_lag_ms", summary.checkpointLag().toMillis())
                .put("unfilled_gap_ms", summary.unfilledGap().toMillis());
        if (summary.error() != null) {
            doc.put("error", summary.error());
        }
        if (!summary.windows().isEmpty()) {
            doc.put("window_start", summary.windows().get(0).start().toString());
            doc.put("window_end", summary.windows().get(summary.windows().size() - 1).end().toString());
        }
        ArrayNode windows = doc.putArray("windows");
        summary.windows().forEach(w -> windows.addObject().put("start", w.start().toString()).put("end", w.end().toString()));
        ArrayNode warnings = doc.putArray("warnings");
        summary.warnings().forEach(warnings::add);
        return doc;
    }

    static ExecutionSummary summaryFrom(JsonNode doc) {
        List<TimeWindow> windows = new ArrayList<>();
        for (JsonNode w : doc.path("windows")) {
            windows.add(new TimeWindow(Instant.parse(w.path("start").asText()), Instant.parse(w.path("end").asText())));
        }
        List<String> warnings = new ArrayList<>();
        doc.path("warnings").forEach(w -> warnings.add(w.asText()));
        return new ExecutionSummary(doc.path("rule_id").asText(), doc.path("rule_name").asText(),
                doc.path("execution_id").asText(), Instant.parse(doc.path("started").asText()),
                Duration.ofMillis(doc.path("took_ms").asLong()), windows, doc.path("events_read").asLong(),
                doc.path("sequences_found").asLong(), doc.path("alerts_written").asLong(),
                doc.path("duplicates_skipped").asLong(), doc.path("dropped_by_cap").asLong(), warnings,
                doc.hasNonNull("error") ? doc.path("error").asText() : null, doc.path("open_sequences_peak").asLong(),
                Duration.ofMillis(doc.path("checkpoint_lag_ms").asLong()),
                Duration.ofMillis(doc.path("unfilled_gap_ms").asLong()));
    }
}
