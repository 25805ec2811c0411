package io.eqlwatch.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.event.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * Indexes a stream of events as fast as one node takes them: each bulk body is written as NDJSON straight from
 * the event's source (no request objects per document) and sent over the low-level client, with a few bulks in
 * flight at once so that the node's write threads never wait for the generator, nor the generator for the
 * node. The answer is filtered to the errors, so a good bulk costs the client almost nothing to read.
 */
final class BulkLoader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

    private final RestClient rest;
    private final String cluster;
    private final int bulkDocuments;
    private final int inFlight;

    /**
     * @param bulkDocuments documents per bulk request
     * @param inFlight      bulk requests sent before the first of them must have been answered
     */
    BulkLoader(RestClient rest, String cluster, int bulkDocuments, int inFlight) {
        if (bulkDocuments < 1 || inFlight < 1) {
            throw new IllegalArgumentException("bulkDocuments and inFlight must be positive");
        }
        this.rest = rest;
        this.cluster = cluster;
        this.bulkDocuments = bulkDocuments;
        this.inFlight = inFlight;
    }

    /** Indexes every event of {@code events} into its own index under its own id; returns how many. */
    long load(Iterator<Event> events) {
        ExecutorService senders = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "bench-bulk");
            t.setDaemon(true);
            return t;
        });
        Semaphore slots = new Semaphore(inFlight);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        long sent = 0;
        try {
            while (events.hasNext() && failure.get() == null) {
                ByteArrayOutputStream body = new ByteArrayOutputStream(bulkDocuments * 1_200);
                int documents = write(events, body);
                sent += documents;
                slots.acquireUninterruptibly();
                senders.execute(() -> {
                    try {
                        send(body.toByteArray(), documents);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                });
            }
            // every slot back: every bulk answered
            slots.acquireUninterruptibly(inFlight);
        } finally {
            senders.shutdownNow();
            try {
                senders.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return sent;
    }

    /** Writes up to one bulk's documents as NDJSON action and source lines; returns how many. */
    private int write(Iterator<Event> events, ByteArrayOutputStream body) {
        int documents = 0;
        try (JsonGenerator json = JSON.getFactory().createGenerator(body, JsonEncoding.UTF8)) {
            json.setRootValueSeparator(null);
            while (documents < bulkDocuments && events.hasNext()) {
                Event event = events.next();
                json.writeStartObject();
                json.writeObjectFieldStart("index");
                json.writeStringField("_index", event.index());
                json.writeStringField("_id", event.id());
                json.writeEndObject();
                json.writeEndObject();
                json.writeRaw('\n');
                JSON.writeValue(json, event.source());
                json.writeRaw('\n');
                documents++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write benchmark events as JSON", e);
        }
        return documents;
    }

    private void send(byte[] body, int documents) {
        String what = "Indexing " + documents + " benchmark events into " + cluster;
        JsonNode answer = RetryPolicy.DEFAULT.run(what, () -> {
            Request request = new Request("POST", "/_bulk");
            // only what says whether, and why, a document was refused
            request.addParameter("filter_path", "errors,items.*.error,items.*._index,items.*._id");
            request.setEntity(new ByteArrayEntity(body, NDJSON));
            try {
                Response response = rest.performRequest(request);
                try (InputStream in = response.getEntity().getContent()) {
                    return JSON.readTree(in);
                }
            } catch (ResponseException e) {
                int status = e.getResponse().getStatusLine().getStatusCode();
                if (RetryPolicy.isTransientStatus(status)) {
                    throw e;
                }
                throw new ElasticsearchCallException(what + " failed: HTTP " + status, status, e);
            }
        });
        if (answer.path("errors").asBoolean()) {
            for (JsonNode item : answer.path("items")) {
                JsonNode result = item.elements().next();
                if (result.has("error")) {
                    throw new IllegalStateException("Elasticsearch at " + cluster + " refused benchmark events, e.g. "
                            + result.path("_index").asText() + "/"
                            + result.path("_id").asText() + ": "
                            + result.path("error").path("reason").asText());
                }
            }
        }
    }
}
