package io.eqlwatch.schedule;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.OpType;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.IndexRequest;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.transport.TransportException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.RetryPolicy;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.elasticsearch.client.ResponseException;

/**
 * Keeps run state in an index of eqlwatch's own (default {@code eqlwatch-state}): one checkpoint
 * document per rule, one document per execution (the execution log Kibana shows for its rules), and
 * one per recorded gap. Writes wait for refresh so that the next run, or {@code status}, reads them.
 *
 * <p>Several processes may share the index (nodes of a cluster, a backfill beside the daemon), so a
 * checkpoint or a gap is changed only by compare-and-set on its sequence number and primary term:
 * a writer that loses the race reads the winner's document again instead of overwriting it, and a
 * checkpoint never moves backwards.
 */
public final class ElasticsearchRunStateStore implements RunStateStore {

    public static final String DEFAULT_INDEX = "eqlwatch-state";

    /** Old executions deleted per bulk request by the history retention. */
    private static final int DELETE_PAGE = 1000;

    private static final String MAPPING =
            """
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
              "gap_start": {"type": "date"}, "gap_end": {"type": "date"}, "node": {"type": "keyword"}
            }}""";

    /** Compare-and-set attempts before giving up; each lost one means another writer made progress. */
    private static final int MAX_ATTEMPTS = 20;

    private final ElasticsearchClient client;
    private final String index;
    private final String node;
    private final RetryPolicy retry;
    private volatile boolean ready;

    public ElasticsearchRunStateStore(ElasticsearchClient client, String index) {
        this(client, index, null);
    }

    /** @param node the name this process records in its executions; {@code null} records none */
    public ElasticsearchRunStateStore(ElasticsearchClient client, String index, String node) {
        this(client, index, node, RetryPolicy.DEFAULT);
    }

    /** @param retry how every call to the state index is retried when the cluster fails for a moment */
    public ElasticsearchRunStateStore(ElasticsearchClient client, String index, String node, RetryPolicy retry) {
        this.client = client;
        this.index = index;
        this.node = node;
        this.retry = retry;
    }

    /** Creates the state index if it is missing; safe to call from several processes at once. */
    public void install() {
        try {
            boolean exists = retry.run(
                    "checking the state index " + index,
                    "view_index_metadata on " + index,
                    () -> client.indices().exists(e -> e.index(index)).value());
            if (!exists) {
                retry.run("creating the state index " + index, "create_index on " + index, () -> client.indices()
                        .create(c -> c.index(index)
                                .settings(s -> s.numberOfShards("1")
                                        .numberOfReplicas("0")
                                        .autoExpandReplicas("0-1"))
                                .mappings(m -> m.withJson(new StringReader(MAPPING)))));
            } else {
                // An index made by an older version lacks the fields added since; adding fields is always allowed.
                retry.run(
                        "updating the mapping of the state index " + index, "manage on " + index, () -> client.indices()
                                .putMapping(m -> m.index(index).withJson(new StringReader(MAPPING))));
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
            GetResponse<ObjectNode> response = retry.run(
                    "reading the checkpoint of rule " + ruleId + " from " + index,
                    "read on " + index,
                    () -> client.get(g -> g.index(index).id(checkpointId(ruleId)), ObjectNode.class));
            if (!response.found() || response.source() == null) {
                return Optional.empty();
            }
            return Optional.of(
                    Instant.parse(response.source().path("checkpoint").asText()));
        } catch (ElasticsearchCallException e) {
            throw new StateStoreException(e.getMessage(), e);
        }
    }

    /** All the checkpoints in one multi-get: a batch of rules costs one read, not one per rule. */
    @Override
    public Map<String, Instant> checkpoints(Collection<String> ruleIds) {
        Map<String, Instant> out = new LinkedHashMap<>();
        readAll(ruleIds, "the checkpoints of " + ruleIds.size() + " rules")
                .forEach((ruleId, doc) -> out.put(
                        ruleId, Instant.parse(doc.source().path("checkpoint").asText())));
        return out;
    }

    /**
     * One multi-get for the checkpoints' versions, then one bulk request: each checkpoint written by
     * compare-and-set on the version read, each execution appended, and one refresh for all of them
     * (the daemon's next run and {@code status} see the state at once). A checkpoint that another
     * process moved meanwhile is advanced again on its own, which never moves it backwards.
     */
    @Override
    public Map<String, String> recordBatch(Map<String, Instant> checkpoints, List<ExecutionSummary> executions) {
        if (checkpoints.isEmpty() && executions.isEmpty()) {
            return Map.of();
        }
        ensureInstalled();
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, Versioned> seen;
        try {
            seen = checkpoints.isEmpty()
                    ? Map.of()
                    : readAll(checkpoints.keySet(), "the checkpoints of " + checkpoints.size() + " rules");
        } catch (StateStoreException e) {
            checkpoints.keySet().forEach(ruleId -> failures.put(ruleId, e.getMessage()));
            executions.forEach(summary -> failures.putIfAbsent(summary.ruleId(), e.getMessage()));
            return failures;
        }
        List<BulkOperation> operations = new ArrayList<>();
        List<String> ruleOfOperation = new ArrayList<>();
        List<Instant> checkpointOfOperation = new ArrayList<>();
        checkpoints.forEach((ruleId, to) -> {
            Versioned current = seen.get(ruleId);
            if (current != null
                    && !to.isAfter(
                            Instant.parse(current.source().path("checkpoint").asText()))) {
                return;
            }
            ObjectNode doc = checkpointDocument(ruleId, to);
            String id = checkpointId(ruleId);
            operations.add(
                    current == null
                            ? BulkOperation.of(
                                    o -> o.create(c -> c.index(index).id(id).document(doc)))
                            : BulkOperation.of(o -> o.index(i -> i.index(index)
                                    .id(id)
                                    .document(doc)
                                    .ifSeqNo(current.seqNo())
                                    .ifPrimaryTerm(current.primaryTerm()))));
            ruleOfOperation.add(ruleId);
            checkpointOfOperation.add(to);
        });
        for (ExecutionSummary summary : executions) {
            ObjectNode doc = executionDocument(summary);
            if (node != null) {
                doc.put("node", node);
            }
            String id = "execution:" + summary.executionId();
            operations.add(
                    BulkOperation.of(o -> o.index(i -> i.index(index).id(id).document(doc))));
            ruleOfOperation.add(summary.ruleId());
            checkpointOfOperation.add(null);
        }
        if (operations.isEmpty()) {
            return failures;
        }
        BulkResponse response;
        try {
            response = retry.run(
                    "recording the state of " + executions.size() + " executions in " + index,
                    "index on " + index,
                    () -> client.bulk(b -> b.operations(operations).refresh(Refresh.True)));
        } catch (ElasticsearchCallException e) {
            ruleOfOperation.forEach(ruleId -> failures.putIfAbsent(ruleId, e.getMessage()));
            return failures;
        }
        List<BulkResponseItem> items = response.items();
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            if (item.error() == null) {
                continue;
            }
            String ruleId = ruleOfOperation.get(i);
            Instant to = checkpointOfOperation.get(i);
            if (to != null && item.status() == 409) {
                try {
                    advanceCheckpoint(ruleId, to);
                } catch (RuntimeException e) {
                    failures.putIfAbsent(ruleId, e.getMessage());
                }
                continue;
            }
            failures.putIfAbsent(
                    ruleId,
                    (to != null ? "recording the checkpoint" : "recording the execution") + " in " + index
                            + " was refused: " + item.error().reason());
        }
        return failures;
    }

    /** The checkpoint documents of the rules that have one, with their versions, by rule id. */
    private Map<String, Versioned> readAll(Collection<String> ruleIds, String what) {
        ensureInstalled();
        Map<String, Versioned> out = new LinkedHashMap<>();
        if (ruleIds.isEmpty()) {
            return out;
        }
        List<String> ids =
                ruleIds.stream().map(ElasticsearchRunStateStore::checkpointId).toList();
        try {
            MgetResponse<ObjectNode> response = retry.run(
                    "reading " + what + " from " + index,
                    "read on " + index,
                    () -> client.mget(m -> m.index(index).ids(ids), ObjectNode.class));
            for (MultiGetResponseItem<ObjectNode> item : response.docs()) {
                if (item.isFailure()) {
                    throw new StateStoreException(
                            "reading " + item.failure().id() + " from " + index + " failed: "
                                    + item.failure().error().reason(),
                            null);
                }
                var result = item.result();
                if (result.found() && result.source() != null) {
                    String ruleId = result.id().substring("checkpoint:".length());
                    out.put(
                            ruleId,
                            new Versioned(
                                    result.id(),
                                    result.source(),
                                    result.seqNo() == null ? -1 : result.seqNo(),
                                    result.primaryTerm() == null ? -1 : result.primaryTerm()));
                }
            }
            return out;
        } catch (ElasticsearchCallException e) {
            throw new StateStoreException(e.getMessage(), e);
        }
    }

    private ObjectNode checkpointDocument(String ruleId, Instant to) {
        ObjectNode doc = JsonNodeFactory.instance
                .objectNode()
                .put("type", "checkpoint")
                .put("rule_id", ruleId)
                .put("checkpoint", to.toString())
                .put("updated", Instant.now().toString());
        if (node != null) {
            doc.put("node", node);
        }
        return doc;
    }

    @Override
    public void saveCheckpoint(String ruleId, Instant checkpoint) {
        advanceCheckpoint(ruleId, checkpoint);
    }

    @Override
    public Instant advanceCheckpoint(String ruleId, Instant to) {
        ensureInstalled();
        String id = checkpointId(ruleId);
        String what = "the checkpoint of rule " + ruleId;
        for (int attempt = 1; ; attempt++) {
            Versioned current = read(id, what);
            if (current != null) {
                Instant stored =
                        Instant.parse(current.source().path("checkpoint").asText());
                if (!to.isAfter(stored)) {
                    return stored;
                }
            }
            ObjectNode doc = checkpointDocument(ruleId, to);
            if (writeIfUnchanged(id, doc, current, what, attempt)) {
                return to;
            }
        }
    }

    @Override
    public void recordExecution(ExecutionSummary summary) {
        ensureInstalled();
        ObjectNode doc = executionDocument(summary);
        if (node != null) {
            doc.put("node", node);
        }
        write("execution:" + summary.executionId(), doc, "execution " + summary.executionId());
    }

    @Override
    public Optional<String> lastExecutionNode(String ruleId) {
        List<ObjectNode> latest = search("execution", ruleId, "started", SortOrder.Desc, 1).stream()
                .map(Versioned::source)
                .toList();
        return latest.isEmpty() || !latest.get(0).hasNonNull("node")
                ? Optional.empty()
                : Optional.of(latest.get(0).path("node").asText());
    }

    /**
     * Records a gap, or widens the one recorded with the same start: two nodes that find the same
     * gap a moment apart see it end at slightly different instants, and the wider range is the one to fill.
     */
    @Override
    public void recordGap(String ruleId, TimeWindow gap, String backfillCommand) {
        ensureInstalled();
        String id = "gap:" + ruleId + ":" + gap.start();
        String what = "a gap of rule " + ruleId;
        for (int attempt = 1; ; attempt++) {
            Versioned current = read(id, what);
            if (current != null
                    && !gap.end()
                            .isAfter(Instant.parse(
                                    current.source().path("gap_end").asText()))) {
                return;
            }
            ObjectNode doc = JsonNodeFactory.instance
                    .objectNode()
                    .put("type", "gap")
                    .put("rule_id", ruleId)
                    .put("gap_start", gap.start().toString())
                    .put("gap_end", gap.end().toString())
                    .put("backfill_command", backfillCommand)
                    .put("updated", Instant.now().toString());
            if (writeIfUnchanged(id, doc, current, what, attempt)) {
                return;
            }
        }
    }

    @Override
    public void clearGapsWithin(String ruleId, TimeWindow covered) {
        for (Versioned hit : search("gap", ruleId, "gap_start", SortOrder.Asc, 1000)) {
            Instant start = Instant.parse(hit.source().path("gap_start").asText());
            Instant end = Instant.parse(hit.source().path("gap_end").asText());
            if (start.isBefore(covered.start()) || end.isAfter(covered.end())) {
                continue;
            }
            try {
                // Only the version this backfill saw: a gap widened meanwhile is no longer wholly filled.
                retry.run(
                        "clearing a filled gap of rule " + ruleId + " in " + index,
                        "delete on " + index,
                        () -> client.delete(d -> d.index(index)
                                .id(hit.id())
                                .ifSeqNo(hit.seqNo())
                                .ifPrimaryTerm(hit.primaryTerm())
                                .refresh(Refresh.True)));
            } catch (ElasticsearchCallException e) {
                if (!isConflict(e)) {
                    throw new StateStoreException(e.getMessage(), e);
                }
            }
        }
    }

    /** A state document with the sequence number and primary term it was read at. */
    private record Versioned(String id, ObjectNode source, long seqNo, long primaryTerm) {}

    private Versioned read(String id, String what) {
        try {
            GetResponse<ObjectNode> response = retry.run(
                    "reading " + what + " from " + index,
                    "read on " + index,
                    () -> client.get(g -> g.index(index).id(id), ObjectNode.class));
            if (!response.found() || response.source() == null) {
                return null;
            }
            return new Versioned(id, response.source(), response.seqNo(), response.primaryTerm());
        } catch (ElasticsearchCallException e) {
            throw new StateStoreException(e.getMessage(), e);
        }
    }

    /**
     * Writes {@code doc} only if the stored document is still {@code seen} (or still absent, when
     * {@code seen} is null). Returns false when another writer got there first, so the caller reads again.
     */
    private boolean writeIfUnchanged(String id, ObjectNode doc, Versioned seen, String what, int attempt) {
        IndexRequest.Builder<ObjectNode> request = new IndexRequest.Builder<ObjectNode>()
                .index(index)
                .id(id)
                .document(doc)
                .refresh(Refresh.True);
        IndexRequest<ObjectNode> conditional = seen == null
                ? request.opType(OpType.Create).build()
                : request.ifSeqNo(seen.seqNo())
                        .ifPrimaryTerm(seen.primaryTerm())
                        .build();
        try {
            // A 409 is not transient, so the policy hands it straight back; a retried write that did land
            // the first time shows up as a 409 too, and the re-read then finds it done.
            retry.run("recording " + what + " in " + index, "index on " + index, () -> client.index(conditional));
            return true;
        } catch (ElasticsearchCallException e) {
            if (isConflict(e) && attempt < MAX_ATTEMPTS) {
                return false;
            }
            throw new StateStoreException(e.getMessage(), e);
        }
    }

    /** A 409: another writer changed the document since it was read. The client reports it in several shapes. */
    private static boolean isConflict(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchCallException call && call.status() == 409
                    || t instanceof co.elastic.clients.elasticsearch._types.ElasticsearchException es
                            && es.status() == 409
                    || t instanceof TransportException transport && transport.statusCode() == 409
                    || t instanceof ResponseException response
                            && response.getResponse().getStatusLine().getStatusCode() == 409) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<ExecutionSummary> executions(String ruleId, int limit) {
        List<ExecutionSummary> out = new ArrayList<>();
        for (Versioned hit : search("execution", ruleId, "started", SortOrder.Desc, limit)) {
            out.add(summaryFrom(hit.source()));
        }
        return out;
    }

    @Override
    public List<RecordedGap> gaps(String ruleId) {
        List<RecordedGap> out = new ArrayList<>();
        for (Versioned hit : search("gap", ruleId, "gap_start", SortOrder.Asc, 1000)) {
            ObjectNode doc = hit.source();
            out.add(new RecordedGap(
                    ruleId,
                    new TimeWindow(
                            Instant.parse(doc.path("gap_start").asText()),
                            Instant.parse(doc.path("gap_end").asText())),
                    doc.path("backfill_command").asText()));
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
                SearchResponse<Void> page = retry.run(
                        "finding executions older than " + cutoff + " in " + index,
                        "read on " + index,
                        () -> client.search(
                                s -> s.index(index)
                                        .size(DELETE_PAGE)
                                        .source(src -> src.fetch(false))
                                        .query(q -> q.bool(b -> b.filter(f -> f.term(
                                                        t -> t.field("type").value("execution")))
                                                .filter(f -> f.range(r -> r.date(dr ->
                                                        dr.field("started").lt(cutoff.toString())))))),
                                Void.class));
                List<BulkOperation> deletes = new ArrayList<>();
                page.hits()
                        .hits()
                        .forEach(hit -> deletes.add(BulkOperation.of(
                                o -> o.delete(d -> d.index(index).id(hit.id())))));
                if (deletes.isEmpty()) {
                    return deleted;
                }
                BulkResponse response = retry.run(
                        "deleting old executions from " + index,
                        "delete on " + index,
                        () -> client.bulk(b -> b.operations(deletes).refresh(Refresh.True)));
                long failed = response.items().stream()
                        .filter(item -> item.error() != null)
                        .count();
                if (failed > 0) {
                    throw new StateStoreException(
                            failed + " of " + deletes.size() + " old executions could not be"
                                    + " deleted from " + index + ", e.g. "
                                    + response.items().stream()
                                            .filter(item -> item.error() != null)
                                            .findFirst()
                                            .orElseThrow()
                                            .error()
                                            .reason(),
                            null);
                }
                deleted += deletes.size();
            }
        } catch (ElasticsearchCallException e) {
            throw new StateStoreException(
                    "cannot delete executions older than " + cutoff + " from " + index + ": " + e.getMessage(), e);
        }
    }

    private List<Versioned> search(String type, String ruleId, String sortField, SortOrder order, int size) {
        ensureInstalled();
        try {
            SearchResponse<ObjectNode> response = retry.run(
                    "reading the " + type + " history of rule " + ruleId + " from " + index,
                    "read on " + index,
                    () -> client.search(
                            s -> s.index(index)
                                    .query(q -> q.bool(b -> b.filter(f ->
                                                    f.term(t -> t.field("type").value(type)))
                                            .filter(f -> f.term(
                                                    t -> t.field("rule_id").value(ruleId)))))
                                    .sort(o -> o.field(f -> f.field(sortField).order(order)))
                                    .seqNoPrimaryTerm(true)
                                    .size(size),
                            ObjectNode.class));
            List<Versioned> out = new ArrayList<>();
            for (Hit<ObjectNode> hit : response.hits().hits()) {
                out.add(new Versioned(
                        hit.id(),
                        hit.source(),
                        hit.seqNo() == null ? -1 : hit.seqNo(),
                        hit.primaryTerm() == null ? -1 : hit.primaryTerm()));
            }
            return out;
        } catch (ElasticsearchCallException e) {
            throw new StateStoreException(e.getMessage(), e);
        }
    }

    private void write(String id, ObjectNode doc, String what) {
        try {
            // An immediate refresh of this small index: the next run and `status` must see the write,
            // and wait_for would add up to a second per write.
            retry.run(
                    "recording " + what + " in " + index,
                    "index on " + index,
                    () -> client.index(i -> i.index(index).id(id).document(doc).refresh(Refresh.True)));
        } catch (ElasticsearchCallException e) {
            throw new StateStoreException(e.getMessage(), e);
        }
    }

    private static String checkpointId(String ruleId) {
        return "checkpoint:" + ruleId;
    }

    static ObjectNode executionDocument(ExecutionSummary summary) {
        ObjectNode doc = JsonNodeFactory.instance
                .objectNode()
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
            doc.put(
                    "window_end",
                    summary.windows().get(summary.windows().size() - 1).end().toString());
        }
        ArrayNode windows = doc.putArray("windows");
        summary.windows().forEach(w -> windows.addObject()
                .put("start", w.start().toString())
                .put("end", w.end().toString()));
        ArrayNode warnings = doc.putArray("warnings");
        summary.warnings().forEach(warnings::add);
        return doc;
    }

    static ExecutionSummary summaryFrom(JsonNode doc) {
        List<TimeWindow> windows = new ArrayList<>();
        for (JsonNode w : doc.path("windows")) {
            windows.add(new TimeWindow(
                    Instant.parse(w.path("start").asText()),
                    Instant.parse(w.path("end").asText())));
        }
        List<String> warnings = new ArrayList<>();
        doc.path("warnings").forEach(w -> warnings.add(w.asText()));
        return new ExecutionSummary(
                doc.path("rule_id").asText(),
                doc.path("rule_name").asText(),
                doc.path("execution_id").asText(),
                Instant.parse(doc.path("started").asText()),
                Duration.ofMillis(doc.path("took_ms").asLong()),
                windows,
                doc.path("events_read").asLong(),
                doc.path("sequences_found").asLong(),
                doc.path("alerts_written").asLong(),
                doc.path("duplicates_skipped").asLong(),
                doc.path("dropped_by_cap").asLong(),
                warnings,
                doc.hasNonNull("error") ? doc.path("error").asText() : null,
                doc.path("open_sequences_peak").asLong(),
                Duration.ofMillis(doc.path("checkpoint_lag_ms").asLong()),
                Duration.ofMillis(doc.path("unfilled_gap_ms").asLong()));
    }
}
