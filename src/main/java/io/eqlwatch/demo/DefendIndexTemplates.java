package io.eqlwatch.demo;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.es.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;

/**
 * Index templates with Elastic Defend-like mappings (keyword, ip, long, date fields as the endpoint package
 * maps them; {@code dynamic: false} as there) for {@code logs-endpoint.events.file-*} and
 * {@code logs-endpoint.events.network-*}. The demo installs them; tests create indices from the same
 * mappings. The indices are plain indices, not data streams, so they can be written with any op type and
 * deleted by name. Differences from the real package, forced by the minimal integ-test distribution:
 * {@code data_stream.*} is keyword (not constant_keyword), text fields are text (not match_only_text) and
 * command lines keyword (not wildcard).
 *
 * <p>Only install these on demo and test clusters: with priority 250 they win over Fleet's endpoint templates.
 */
public final class DefendIndexTemplates {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DefendIndexTemplates() {}

    /** The whole template body (index_patterns, priority, template, _meta). */
    public static ObjectNode templateBody(DefendDataset dataset) {
        try (InputStream in = DefendIndexTemplates.class.getResourceAsStream(dataset.templateResource())) {
            if (in == null) {
                throw new IllegalStateException("Missing class-path resource " + dataset.templateResource());
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dataset.templateResource(), e);
        }
    }

    /** The {@code mappings} of the template. */
    public static JsonNode mappings(DefendDataset dataset) {
        return templateBody(dataset).path("template").path("mappings");
    }

    /** The index {@code settings} of the template (one shard, no replica). */
    public static JsonNode settings(DefendDataset dataset) {
        return templateBody(dataset).path("template").path("settings");
    }

    /** Installs (or replaces) both templates. */
    public static void install(ElasticsearchClient client) {
        for (DefendDataset dataset : DefendDataset.values()) {
            String body = templateBody(dataset).toString();
            RetryPolicy.DEFAULT.run("Installing index template " + dataset.templateName(), () -> client.indices()
                    .putIndexTemplate(r -> r.name(dataset.templateName()).withJson(new StringReader(body))));
        }
    }

    /**
     * Creates {@code index} with the dataset's settings and mappings, whatever its name (tests use unique
     * names that no template matches).
     */
    public static void createIndex(ElasticsearchClient client, String index, DefendDataset dataset) {
        ObjectNode body = JSON.createObjectNode();
        body.set("settings", settings(dataset));
        body.set("mappings", mappings(dataset));
        String json = body.toString();
        RetryPolicy.DEFAULT.run("Creating index " + index, () -> client.indices()
                .create(r -> r.index(index).withJson(new StringReader(json))));
    }
}
