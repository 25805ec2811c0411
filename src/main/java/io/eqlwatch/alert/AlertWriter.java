package io.eqlwatch.alert;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.util.BinaryData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts index as an {@link AlertSink}: looks up which alert ids the index already holds (ids
 * are deterministic, so an alert written by an earlier run over an overlapping window is found
 * here), and bulk-creates the documents with {@code create} (an id that appeared meanwhile answers
 * 409 and counts as existing), retrying what Elasticsearch could not serve for a moment.
 */
public final class AlertWriter implements AlertSink {

    private static final Logger LOG = LoggerFactory.getLogger(AlertWriter.class);
    private static final String JSON = "application/json";

    /**
     * @param refreshWaitFor  make written alerts searchable before {@link #write} returns: one explicit
     *                        refresh of the indices written to, after the last bulk and only when a
     *                        document was created (a {@code refresh=wait_for} would wait up to a whole
     *                        refresh interval for the next scheduled refresh)
     * @param bulkDocuments   documents per bulk request
     * @param idLookupBatch   ids per existence lookup
     * @param requireAlias    refuse to write unless the target is an alias, so that a missing
     *                        alerts index fails loudly instead of being auto-created unmapped
     */
    public record Options(
            boolean refreshWaitFor, int bulkDocuments, int idLookupBatch, boolean requireAlias, RetryPolicy retry) {

        public Options {
            if (bulkDocuments < 1 || idLookupBatch < 1) {
                throw new IllegalArgumentException("bulkDocuments and idLookupBatch must be positive");
            }
            Objects.requireNonNull(retry, "retry");
        }

        public static Options defaults() {
            return new Options(false, 500, 1000, true, RetryPolicy.DEFAULT);
        }

        public Options withRefreshWaitFor(boolean value) {
            return new Options(value, bulkDocuments, idLookupBatch, requireAlias, retry);
        }

        public Options withRetry(RetryPolicy value) {
            return new Options(refreshWaitFor, bulkDocuments, idLookupBatch, requireAlias, value);
        }
    }

    /** How many recently written ids a writer remembers (about 2 MB); see {@link #known}. */
    static final int REMEMBERED_IDS = 20_000;

    private final ElasticsearchClient client;
    private final String index;
    private final Options options;
    private final AlertIndexInstaller repair;
    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * Ids this writer created or found, most recent last. The existence lookup is a search, which
     * only sees refreshed documents; a run that writes window after window (catching up) or a run
     * right after another would otherwise take its own fresh alerts for new ones, and let them
     * take places under the cap that belong to really new matches.
     */
    private final Set<String> known = Collections.newSetFromMap(new LinkedHashMap<String, Boolean>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    });

    public AlertWriter(ElasticsearchClient client, String index) {
        this(client, index, Options.defaults());
    }

    public AlertWriter(ElasticsearchClient client, String index, Options options) {
        this(client, index, options, null);
    }

    /**
     * @param repair installs the alerts index again when its write alias has gone missing, or null to fail
     *               such a write (Kibana's own alerts index is Kibana's to create)
     */
    public AlertWriter(ElasticsearchClient client, String index, Options options, AlertIndexInstaller repair) {
        this.client = Objects.requireNonNull(client, "client");
        this.index = Objects.requireNonNull(index, "index");
        this.options = Objects.requireNonNull(options, "options");
        this.repair = repair;
    }

    public String index() {
        return index;
    }

    ElasticsearchClient client() {
        return client;
    }

    RetryPolicy retry() {
        return options.retry();
    }

    @Override
    public Set<String> existing(Collection<String> documentIds) throws AlertWriteException {
        List<String> unknownIds = new ArrayList<>();
        Set<String> existing = new HashSet<>();
        synchronized (known) {
            for (String id : documentIds) {
                if (known.contains(id)) {
                    existing.add(id);
                } else {
                    unknownIds.add(id);
                }
            }
        }
        try {
            existing.addAll(existingIds(unknownIds));
        } catch (ElasticsearchCallException e) {
            throw new AlertWriteException(e.getMessage(), WriteSummary.empty(), e.getCause());
        }
        remember(existing);
        return existing;
    }

    /**
     * Creates the groups' documents that this writer does not know to exist (those {@link #existing}
     * found, or it wrote itself), with {@code create}: an id that appeared meanwhile answers 409 and
     * counts as existing.
     *
     * @throws AlertWriteException when a document is refused for a reason other than already
     *                             existing, or Elasticsearch stays unavailable through every retry
     */
    @Override
    public WriteResult write(List<AlertGroup> groups) throws AlertWriteException {
        if (groups.isEmpty()) {
            return WriteResult.NONE;
        }
        Set<String> existing = new HashSet<>();
        Map<String, AlertDocument> toWrite = new LinkedHashMap<>();
        synchronized (known) {
            for (AlertGroup group : groups) {
                for (AlertDocument document : group.documents()) {
                    if (known.contains(document.id())) {
                        existing.add(document.id());
                    } else {
                        toWrite.put(document.id(), document);
                    }
                }
            }
        }

        Map<String, Outcome> outcomes = new HashMap<>();
        Set<String> writtenTo = new HashSet<>();
        AlertWriteException failure = null;
        List<AlertDocument> pending = new ArrayList<>(toWrite.values());
        for (int from = 0; from < pending.size() && failure == null; from += options.bulkDocuments()) {
            List<AlertDocument> batch = pending.subList(from, Math.min(pending.size(), from + options.bulkDocuments()));
            try {
                createAll(batch, outcomes, writtenTo);
            } catch (AlertWriteException e) {
                failure = e;
            }
        }
        remember(outcomes.keySet());
        makeSearchable(writtenTo);

        List<String> created = new ArrayList<>();
        int writtenDocuments = 0;
        int duplicates = 0;
        for (AlertGroup group : groups) {
            int createdHere = 0;
            boolean complete = true;
            for (String id : group.documentIds()) {
                Outcome outcome = existing.contains(id) ? Outcome.EXISTED : outcomes.get(id);
                if (outcome == Outcome.CREATED) {
                    createdHere++;
                } else if (outcome == null) {
                    complete = false;
                }
            }
            writtenDocuments += createdHere;
            if (createdHere > 0) {
                created.add(group.id());
            } else if (complete) {
                duplicates++;
            }
        }
        if (failure != null) {
            WriteSummary partial = new WriteSummary(created.size(), writtenDocuments, duplicates, 0, List.of(), null);
            throw new AlertWriteException(failure.getMessage(), partial, failure.getCause());
        }
        return new WriteResult(created, writtenDocuments, duplicates);
    }

    private enum Outcome {
        CREATED,
        EXISTED
    }

    private void remember(Collection<String> ids) {
        synchronized (known) {
            known.addAll(ids);
        }
    }

    private Set<String> existingIds(List<String> ids) {
        Set<String> found = new HashSet<>();
        for (int from = 0; from < ids.size(); from += options.idLookupBatch()) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + options.idLookupBatch()));
            // A search, not mget: after a rollover the alias spans several indices and mget
            // refuses an alias with more than one index behind it.
            SearchResponse<Void> response = options.retry()
                    .run(
                            "looking up existing alert ids in '" + index + "'",
                            () -> client.search(
                                    s -> s.index(index)
                                            .ignoreUnavailable(true)
                                            .allowNoIndices(true)
                                            .size(batch.size() * 2)
                                            .trackTotalHits(t -> t.enabled(false))
                                            .source(src -> src.fetch(false))
                                            .query(q -> q.ids(i -> i.values(batch))),
                                    Void.class));
            for (Hit<Void> hit : response.hits().hits()) {
                found.add(hit.id());
            }
        }
        return found;
    }

    /** Creates the documents, retrying those Elasticsearch could not take for a moment. */
    private void createAll(List<AlertDocument> documents, Map<String, Outcome> outcomes, Set<String> writtenTo)
            throws AlertWriteException {
        List<AlertDocument> remaining = documents;
        // Ids sent in a request that got no answer (a timeout): Elasticsearch may have created them,
        // so a 409 on the retry is most likely this write's own document, not someone else's.
        Set<String> unanswered = new HashSet<>();
        int repairs = 0;
        for (int attempt = 1; ; attempt++) {
            BulkResponse response;
            try {
                List<BulkOperation> operations = new ArrayList<>(remaining.size());
                for (AlertDocument document : remaining) {
                    BinaryData body = BinaryData.of(toJson(document.source()), JSON);
                    operations.add(BulkOperation.of(
                            o -> o.create(c -> c.id(document.id()).document(body))));
                }
                response = client.bulk(b -> {
                    b.index(index).operations(operations);
                    if (options.requireAlias()) {
                        b.requireAlias(true);
                    }
                    return b;
                });
            } catch (IOException | RuntimeException e) {
                if (isTransient(e) && attempt < options.retry().maxAttempts()) {
                    remaining.forEach(document -> unanswered.add(document.id()));
                    pause(
                            "writing " + remaining.size() + " alerts to '" + index + "'",
                            attempt,
                            ElasticsearchCallException.statusOf(e),
                            describe(e));
                    continue;
                }
                throw new AlertWriteException(
                        "could not write " + remaining.size() + " alerts to index '" + index + "': " + describe(e),
                        WriteSummary.empty(),
                        e);
            }

            List<AlertDocument> retry = new ArrayList<>();
            String retryReason = null;
            int retryStatus = 0;
            boolean aliasMissing = false;
            List<String> failures = new ArrayList<>();
            Map<String, AlertDocument> byId = new HashMap<>();
            remaining.forEach(document -> byId.put(document.id(), document));
            for (BulkResponseItem item : response.items()) {
                int status = item.status();
                if (item.error() == null && status >= 200 && status < 300) {
                    outcomes.put(item.id(), Outcome.CREATED);
                    writtenTo.add(item.index() != null ? item.index() : index);
                } else if (status == 409) {
                    outcomes.put(item.id(), unanswered.contains(item.id()) ? Outcome.CREATED : Outcome.EXISTED);
                } else if (RetryPolicy.isTransientStatus(status)
                        && attempt < options.retry().maxAttempts()) {
                    retry.add(byId.get(item.id()));
                    if (retryReason == null) {
                        retryReason = status + " " + describe(item.error());
                        retryStatus = status;
                    }
                } else if (isMissingAlias(item) && repair != null && repairs == 0) {
                    // Once per write: a second refusal after a re-install is a real failure.
                    aliasMissing = true;
                    retry.add(byId.get(item.id()));
                } else {
                    failures.add("index '" + (item.index() != null ? item.index() : index) + "', id " + item.id() + ": "
                            + status + " " + describe(item.error()));
                }
            }
            if (!failures.isEmpty()) {
                throw new AlertWriteException(
                        failures.size() + " alert(s) refused by Elasticsearch: " + String.join("; ", failures),
                        WriteSummary.empty(),
                        null);
            }
            if (retry.isEmpty()) {
                return;
            }
            if (aliasMissing) {
                reinstallAlias();
                repairs++;
            } else {
                pause("writing " + retry.size() + " alerts to '" + index + "'", attempt, retryStatus, retryReason);
            }
            remaining = retry;
        }
    }

    /**
     * When asked to ({@code refreshWaitFor}), refreshes the concrete indices documents were just written or
     * updated in, so that a search (the next run's id lookup, a suppression lookup, Kibana, {@code once}'s
     * reader) finds them at once. A refresh that fails loses nothing: the documents are written, the
     * {@code create} op type and this writer's memory of ids still keep a later write from repeating them, and
     * the index's own refresh makes them searchable a moment later.
     */
    void makeSearchable(Collection<String> indices) {
        if (!options.refreshWaitFor() || indices.isEmpty()) {
            return;
        }
        List<String> targets = List.copyOf(indices);
        try {
            options.retry().run("refreshing " + targets + " after writing alerts", () -> client.indices()
                    .refresh(r -> r.index(targets)));
        } catch (ElasticsearchCallException e) {
            LOG.warn("alerts written but not yet searchable: {}", e.getMessage());
        }
    }

    /**
     * Waits as the one retry policy says. The bulk loop cannot hand the whole request to
     * {@link RetryPolicy#run}: a bulk answer can be partly good, and only its refused items are sent again.
     */
    private void pause(String what, int attempt, int status, String reason) throws AlertWriteException {
        Duration wait = options.retry().waitAfter(attempt, status);
        LOG.warn(
                "{} failed (attempt {} of {}): {}; retrying in {} ms",
                what,
                attempt,
                options.retry().maxAttempts(),
                reason,
                wait.toMillis());
        try {
            RetryPolicy.sleep(wait, what);
        } catch (ElasticsearchCallException e) {
            throw new AlertWriteException(e.getMessage(), WriteSummary.empty(), e.getCause());
        }
    }

    private static boolean isTransient(Exception e) {
        return RetryPolicy.isTransient(e);
    }

    /**
     * The write alias is gone (the alerts index was deleted, by hand or by a retention job gone wrong): with
     * {@code require_alias} Elasticsearch refuses the item instead of auto-creating an unmapped index.
     */
    private boolean isMissingAlias(BulkResponseItem item) {
        return options.requireAlias()
                && item.status() == 404
                && item.error() != null
                && "index_not_found_exception".equals(item.error().type());
    }

    /** Installs the alerts index again (template, first index, write alias), so this write and later ones land. */
    private void reinstallAlias() throws AlertWriteException {
        LOG.warn("write alias '{}' is missing (was the alerts index deleted?); installing it again", index);
        try {
            repair.install();
        } catch (AlertIndexException e) {
            throw new AlertWriteException(
                    "the write alias '" + index + "' is missing and could not be installed" + " again: "
                            + e.getMessage(),
                    WriteSummary.empty(),
                    e);
        }
    }

    private static String describe(Throwable e) {
        return ElasticsearchCallException.describe(e);
    }

    private static String describe(ErrorCause cause) {
        return ElasticsearchCallException.describe(cause);
    }

    private byte[] toJson(JsonNode source) {
        try {
            return mapper.writeValueAsBytes(source);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert built from JSON values always serialises", e);
        }
    }

    @Override
    public Optional<AlertWriter> store() {
        return Optional.of(this);
    }
}
