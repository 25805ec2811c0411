package io.eqlwatch.source;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.event.Event;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the whole {@code _source} of events that were read with only the fields a rule needs: an alert
 * copies its events whole, but only the few events of matches that become alerts need it, so they are
 * fetched again by index and id (multi-get), a batch at a time; those a multi-get misses (a document routed
 * by a custom value) are searched for by id. An event whose document is gone (deleted since it was read) or
 * unusable keeps the fields it was read with.
 */
public final class FullSources {

    private static final Logger log = LoggerFactory.getLogger(FullSources.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Documents per multi-get request. */
    static final int BATCH = 500;

    private final RestClient rest;
    private final String cluster;
    private final RetryPolicy retry;

    public FullSources(ElasticsearchClient client, String cluster, RetryPolicy retry) {
        this.rest =
                ((RestClientTransport) Objects.requireNonNull(client, "client")._transport()).restClient();
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /** The same events, in the same order, each with its whole source. */
    public List<Event> of(List<Event> events) {
        Map<String, Map<String, Object>> sources = new HashMap<>();
        List<Event> distinct = events.stream()
                .filter(e -> e.id() != null && e.index() != null)
                .distinct()
                .toList();
        for (int from = 0; from < distinct.size(); from += BATCH) {
            List<Event> batch = distinct.subList(from, Math.min(distinct.size(), from + BATCH));
            String body = body(batch);
            String what = "Fetching the source of " + batch.size() + " event(s) from " + cluster;
            sources.putAll(retry.run(what, () -> multiGet(what, body)));
        }
        List<Event> missing = distinct.stream()
                .filter(e -> !sources.containsKey(key(e.index(), e.id())))
                .toList();
        for (int from = 0; from < missing.size(); from += BATCH) {
            List<Event> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
            String what = "Searching for the source of " + batch.size() + " event(s) in " + cluster;
            sources.putAll(retry.run(what, () -> searchByIds(what, batch)));
        }
        for (Event event : missing) {
            if (!sources.containsKey(key(event.index(), event.id()))) {
                log.warn(
                        "Event {}/{} could not be fetched whole (gone since it was read, or unusable);"
                                + " its alert carries the fields read",
                        event.index(),
                        event.id());
            }
        }
        List<Event> out = new ArrayList<>(events.size());
        for (Event event : events) {
            Map<String, Object> source = sources.get(key(event.index(), event.id()));
            out.add(
                    source == null
                            ? event
                            : new Event(event.id(), event.index(), event.timestamp(), event.tiebreaker(), source));
        }
        return out;
    }

    /**
     * A document indexed with a custom routing value is found by a multi-get only with that value, which a
     * search hit does not carry unless asked; a search by id reaches every shard, so it finds those too.
     */
    private Map<String, Map<String, Object>> searchByIds(String what, List<Event> batch) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", batch.size());
        body.put("track_total_hits", false);
        ArrayNode ids = body.putObject("query").putObject("ids").putArray("values");
        batch.stream().map(Event::id).distinct().forEach(ids::add);
        String indices = String.join(
                ",",
                batch.stream()
                        .map(Event::index)
                        .distinct()
                        .map(FullSources::urlEncoded)
                        .toList());
        Request request = new Request("POST", "/" + indices + "/_search");
        request.addParameter("ignore_unavailable", "true");
        request.setJsonEntity(body.toString());
        return LowLevelCall.send(rest, request, what, in -> {
            Map<String, Map<String, Object>> out = new HashMap<>();
            for (SearchPage.Hit hit : SearchPage.parse(in).hits()) {
                if (hit.problem() == null) {
                    out.put(key(hit.index(), hit.id()), hit.source());
                }
            }
            return out;
        });
    }

    private static String urlEncoded(String index) {
        return URLEncoder.encode(index, StandardCharsets.UTF_8);
    }

    private static String body(List<Event> batch) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode docs = body.putArray("docs");
        for (Event event : batch) {
            docs.addObject().put("_index", event.index()).put("_id", event.id());
        }
        return body.toString();
    }

    private Map<String, Map<String, Object>> multiGet(String what, String body) throws IOException {
        Request request = new Request("POST", "/_mget");
        request.setJsonEntity(body);
        return LowLevelCall.send(rest, request, what, FullSources::parse);
    }

    /** The found documents' sources by index and id. */
    static Map<String, Map<String, Object>> parse(InputStream body) throws IOException {
        Map<String, Map<String, Object>> out = new HashMap<>();
        try (JsonParser parser = SearchPage.parser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("Multi-get response is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!name.equals("docs") || value != JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    readDoc(parser, out);
                }
            }
        }
        return out;
    }

    private static void readDoc(JsonParser parser, Map<String, Map<String, Object>> out) throws IOException {
        String index = null;
        String id = null;
        Map<String, Object> source = null;
        boolean found = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "_index" -> index = parser.getText();
                case "_id" -> id = parser.getText();
                case "found" -> found = value == JsonToken.VALUE_TRUE;
                case "_source" -> {
                    source = SearchPage.readSource(parser, value);
                    if (source == null) {
                        log.warn("Not copying the source of {}/{} into its alert: {}", index, id, SearchPage.TOO_DEEP);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (found && source != null) {
            out.put(key(index, id), source);
        }
    }

    private static String key(String index, String id) {
        return index + "\u0000" + id;
    }
}
