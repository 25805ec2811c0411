package io.eqlwatch.notify;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.IndexResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.transport.TransportException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.rule.RuleAction;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.elasticsearch.client.ResponseException;

/**
 * The outbox as an index of eqlwatch's own (default {@code eqlwatch-notifications}), one document
 * per alert × action, browsable in Kibana like the state index.
 */
public final class ElasticsearchOutbox implements OutboxStore {

    public static final String DEFAULT_INDEX = "eqlwatch-notifications";

    private static final String MAPPING =
            """
            {"dynamic": false, "properties": {
              "rule_id": {"type": "keyword"}, "rule_name": {"type": "keyword"}, "connector": {"type": "keyword"},
              "action_key": {"type": "keyword"}, "frequency": {"type": "keyword"},
              "alert_id": {"type": "keyword"}, "alert_time": {"type": "date"}, "execution_id": {"type": "keyword"},
              "created_at": {"type": "date"}, "status": {"type": "keyword"}, "attempts": {"type": "integer"},
              "next_attempt_at": {"type": "date"}, "sent_at": {"type": "date"}, "last_error": {"type": "text"},
              "interval_ms": {"type": "long"}, "throttle_ms": {"type": "long"},
              "templates": {"type": "object", "enabled": false}, "context": {"type": "object", "enabled": false}
            }}""";

    private final ElasticsearchClient client;
    private final String index;
    private final RetryPolicy retry;
    private volatile boolean ready;

    public ElasticsearchOutbox(ElasticsearchClient client, String index) {
        this(client, index, RetryPolicy.DEFAULT);
    }

    public ElasticsearchOutbox(ElasticsearchClient client, String index, RetryPolicy retry) {
        this.client = client;
        this.index = index;
        this.retry = retry;
    }

    public String index() {
        return index;
    }

    /** Creates the index if it is missing; safe from several processes at once. */
    public void install() {
        try {
            boolean exists = retry.run(
                    "checking the notifications index " + index,
                    "view_index_metadata on " + index,
                    () -> client.indices().exists(e -> e.index(index)).value());
            if (!exists) {
                retry.run(
                        "creating the notifications index " + index, "create_index on " + index, () -> client.indices()
                                .create(c -> c.index(index)
                                        .settings(s -> s.numberOfShards("1")
                                                .numberOfReplicas("0")
                                                .autoExpandReplicas("0-1"))
                                        .mappings(m -> m.withJson(new StringReader(MAPPING)))));
            }
            ready = true;
        } catch (ElasticsearchCallException e) {
            // Another process (or this one's own unanswered first attempt) created it: that is what we wanted.
            if (!"resource_already_exists_exception".equals(e.errorType())) {
                throw new NotifyStoreException(
                        "cannot prepare the notifications index " + index + ": " + e.getMessage(), e);
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
    public void stage(List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        ensureInstalled();
        List<BulkOperation> operations = new ArrayList<>();
        for (OutboxEntry entry : entries) {
            ObjectNode doc = document(entry);
            operations.add(BulkOperation.of(
                    b -> b.create(c -> c.index(index).id(entry.id()).document(doc))));
        }
        String what = "recording " + entries.size() + " notification(s) in " + index;
        BulkResponse response =
                retry.run(what, () -> client.bulk(b -> b.operations(operations).refresh(Refresh.WaitFor)));
        List<String> refused = new ArrayList<>();
        for (BulkResponseItem item : response.items()) {
            // 409: staged by an earlier run that died before writing its alerts; it stands as it is.
            if (item.error() != null && item.status() != 409) {
                refused.add(item.id() + ": " + item.error().reason());
            }
        }
        if (!refused.isEmpty()) {
            throw new NotifyStoreException(
                    refused.size() + " notification(s) refused by " + index + ", e.g. " + refused.get(0), null);
        }
    }

    @Override
    public List<OutboxEntry> open(int limit) {
        ensureInstalled();
        try {
            // The dispatcher's own updates are not refreshed one by one; one refresh of this small index per
            // round lets it read them back, so conditional updates rarely meet a stale version.
            retry.run("refreshing " + index, () -> client.indices().refresh(r -> r.index(index)));
        } catch (ElasticsearchCallException e) {
            throw new NotifyStoreException("cannot refresh " + index + ": " + e.getMessage(), e);
        }
        return search(
                Query.of(q -> q.terms(t -> t.field("status")
                        .terms(v -> v.value(List.of(
                                FieldValue.of(OutboxEntry.Status.PENDING.text()),
                                FieldValue.of(OutboxEntry.Status.SENDING.text())))))),
                "created_at",
                SortOrder.Asc,
                limit,
                "reading the notifications to send");
    }

    @Override
    public Optional<OutboxEntry> replace(OutboxEntry updated) {
        ensureInstalled();
        ObjectNode doc = document(updated);
        try {
            IndexResponse response = retry.run("updating notification " + updated.id(), () -> {
                try {
                    return client.index(i -> i.index(index)
                            .id(updated.id())
                            .document(doc)
                            .ifSeqNo(updated.seqNo())
                            .ifPrimaryTerm(updated.primaryTerm()));
                } catch (IOException | ElasticsearchException e) {
                    if (conflict(e)) {
                        // Not worth a retry: someone else changed the entry, and it is theirs now.
                        throw new ChangedMeanwhile();
                    }
                    throw e;
                }
            });
            return Optional.of(updated.withVersion(response.seqNo(), response.primaryTerm()));
        } catch (ChangedMeanwhile e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new NotifyStoreException(
                    "cannot update notification " + updated.id() + " in " + index + ": " + e.getMessage(), e);
        }
    }

    /** A conditional write found a newer version of the document. */
    private static final class ChangedMeanwhile extends RuntimeException {
        ChangedMeanwhile() {
            super(null, null, false, false);
        }
    }

    /** A 409, whichever layer of the client reports it. */
    private static boolean conflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException es && es.status() == 409) {
                return true;
            }
            if (t instanceof TransportException te && te.statusCode() == 409) {
                return true;
            }
            if (t instanceof ResponseException re
                    && re.getResponse().getStatusLine().getStatusCode() == 409) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<Instant> lastSent(String ruleId, String actionKey) {
        List<OutboxEntry> last = search(
                Query.of(q ->
                        q.bool(b -> b.filter(f -> f.term(t -> t.field("status").value(OutboxEntry.Status.SENT.text())))
                                .filter(f -> f.term(t -> t.field("rule_id").value(ruleId)))
                                .filter(f -> f.term(t -> t.field("action_key").value(actionKey))))),
                "sent_at",
                SortOrder.Desc,
                1,
                "reading when rule " + ruleId + " last notified");
        return last.isEmpty()
                ? Optional.empty()
                : Optional.ofNullable(last.get(0).sentAt());
    }

    @Override
    public List<OutboxEntry> recent(String ruleId, OutboxEntry.Status status, int limit) {
        return search(
                Query.of(q -> q.bool(b -> {
                    b.filter(f -> f.term(t -> t.field("status").value(status.text())));
                    if (ruleId != null) {
                        b.filter(f -> f.term(t -> t.field("rule_id").value(ruleId)));
                    }
                    return b;
                })),
                "created_at",
                SortOrder.Desc,
                limit,
                "reading the notifications");
    }

    @Override
    public Map<OutboxEntry.Status, Long> counts(String ruleId) {
        ensureInstalled();
        try {
            SearchResponse<Void> response = retry.run(
                    "counting notifications",
                    () -> client.search(
                            s -> s.index(index)
                                    .size(0)
                                    .query(q -> q.term(t -> t.field("rule_id").value(ruleId)))
                                    .aggregations(
                                            "status",
                                            a -> a.terms(t -> t.field("status").size(10))),
                            Void.class));
            Map<OutboxEntry.Status, Long> out = new EnumMap<>(OutboxEntry.Status.class);
            for (StringTermsBucket bucket :
                    response.aggregations().get("status").sterms().buckets().array()) {
                out.put(OutboxEntry.Status.parse(bucket.key().stringValue()), bucket.docCount());
            }
            return out;
        } catch (RuntimeException e) {
            throw new NotifyStoreException(
                    "cannot count the notifications of rule " + ruleId + " in " + index + ": " + e.getMessage(), e);
        }
    }

    private List<OutboxEntry> search(Query query, String sortField, SortOrder order, int size, String what) {
        ensureInstalled();
        try {
            SearchResponse<ObjectNode> response = retry.run(
                    what,
                    () -> client.search(
                            s -> s.index(index)
                                    .query(query)
                                    .seqNoPrimaryTerm(true)
                                    .sort(o -> o.field(f -> f.field(sortField).order(order)))
                                    .sort(o ->
                                            o.field(f -> f.field("alert_time").order(SortOrder.Asc)))
                                    .sort(o -> o.field(f -> f.field("alert_id").order(SortOrder.Asc)))
                                    .sort(o ->
                                            o.field(f -> f.field("action_key").order(SortOrder.Asc)))
                                    .size(size),
                            ObjectNode.class));
            List<OutboxEntry> out = new ArrayList<>();
            for (Hit<ObjectNode> hit : response.hits().hits()) {
                out.add(entry(
                        hit.id(),
                        hit.source(),
                        hit.seqNo() == null ? -1 : hit.seqNo(),
                        hit.primaryTerm() == null ? -1 : hit.primaryTerm()));
            }
            return out;
        } catch (RuntimeException e) {
            throw new NotifyStoreException(what + " from " + index + " failed: " + e.getMessage(), e);
        }
    }

    static ObjectNode document(OutboxEntry entry) {
        ObjectNode doc = JsonNodeFactory.instance
                .objectNode()
                .put("rule_id", entry.ruleId())
                .put("rule_name", entry.ruleName())
                .put("connector", entry.connector())
                .put("action_key", entry.actionKey())
                .put("frequency", entry.frequency().text())
                .put("alert_id", entry.alertId())
                .put("alert_time", entry.alertTime().toString())
                .put("execution_id", entry.executionId())
                .put("created_at", entry.createdAt().toString())
                .put("status", entry.status().text())
                .put("attempts", entry.attempts());
        if (entry.interval() != null) {
            doc.put("interval_ms", entry.interval().toMillis());
        }
        if (entry.throttle() != null) {
            doc.put("throttle_ms", entry.throttle().toMillis());
        }
        if (entry.nextAttemptAt() != null) {
            doc.put("next_attempt_at", entry.nextAttemptAt().toString());
        }
        if (entry.sentAt() != null) {
            doc.put("sent_at", entry.sentAt().toString());
        }
        if (entry.lastError() != null) {
            doc.put("last_error", entry.lastError());
        }
        ObjectNode templates = doc.putObject("templates");
        entry.templates().forEach(templates::put);
        doc.set("context", entry.context());
        return doc;
    }

    static OutboxEntry entry(String id, JsonNode doc, long seqNo, long primaryTerm) {
        Map<String, String> templates = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("templates").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            templates.put(field.getKey(), field.getValue().asText());
        }
        return new OutboxEntry(
                id,
                doc.path("rule_id").asText(),
                doc.path("rule_name").asText(),
                doc.path("connector").asText(),
                doc.path("action_key").asText(),
                RuleAction.Frequency.parse(doc.path("frequency").asText()),
                doc.hasNonNull("interval_ms")
                        ? Duration.ofMillis(doc.path("interval_ms").asLong())
                        : null,
                doc.hasNonNull("throttle_ms")
                        ? Duration.ofMillis(doc.path("throttle_ms").asLong())
                        : null,
                templates,
                doc.path("alert_id").asText(),
                Instant.parse(doc.path("alert_time").asText()),
                doc.path("execution_id").asText(null),
                Instant.parse(doc.path("created_at").asText()),
                OutboxEntry.Status.parse(doc.path("status").asText()),
                doc.path("attempts").asInt(),
                instant(doc, "next_attempt_at"),
                doc.path("last_error").asText(null),
                instant(doc, "sent_at"),
                (ObjectNode) doc.path("context"),
                seqNo,
                primaryTerm);
    }

    private static Instant instant(JsonNode doc, String field) {
        return doc.hasNonNull(field) ? Instant.parse(doc.path(field).asText()) : null;
    }
}
