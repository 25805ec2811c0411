package io.eqlwatch.testing;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One set of Kibana's alerts-as-data templates for the Security alerts index (test resources
 * {@code kibana-alerts-as-data/<set>/}, see the README there): read as Kibana composes them, and
 * installed into a cluster the way Kibana's alerting framework does before its first alert.
 */
public final class KibanaAlertTemplates {

    /** The sets under src/test/resources/kibana-alerts-as-data, one per Kibana line. */
    public static final List<String> SETS = List.of("8.19", "9.x");

    /** Kibana installs the shared component templates first, then the Security app's own. */
    public static final List<String> COMPONENT_TEMPLATES = List.of(
            ".alerts-framework-mappings",
            ".alerts-legacy-alert-mappings",
            ".alerts-ecs-mappings",
            ".alerts-security.alerts-mappings");

    private static final String DEFAULT_SPACE = "default";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern NO_HANDLER = Pattern.compile("(?:No handler for type|The mapper type) \\[([a-z_]+)]");
    private static final Pattern UNKNOWN_SETTING = Pattern.compile("unknown setting \\[(index\\.lifecycle[a-z_.]*)]");

    /** What the integ-test-zip lacks (no mapper-extras, wildcard or version-field module), and the nearest core type. */
    private static final Map<String, String> CORE_STAND_INS = Map.of(
            "wildcard", "keyword",
            "match_only_text", "text",
            "scaled_float", "float",
            "version", "keyword",
            "constant_keyword", "keyword");

    /**
     * Kibana's space index in a cluster.
     *
     * @param alias          {@code .alerts-security.alerts-<space>}, the write alias eqlwatch writes to
     * @param writeIndex     {@code .internal.alerts-security.alerts-<space>-000001}
     * @param indexTemplate  {@code .alerts-security.alerts-<space>-index-template}
     * @param standIns       what had to be replaced because the cluster lacks it, e.g. {@code wildcard -> keyword}
     */
    public record Installed(String alias, String writeIndex, String indexTemplate, List<String> standIns) {}

    private final String set;
    private final Map<String, ObjectNode> components = new LinkedHashMap<>();
    private final ObjectNode indexTemplate;

    private KibanaAlertTemplates(String set) {
        this.set = set;
        for (String name : COMPONENT_TEMPLATES) {
            components.put(name, load(name));
        }
        this.indexTemplate = load(".alerts-security.alerts-default-index-template");
    }

    public static KibanaAlertTemplates of(String set) {
        if (!SETS.contains(set)) {
            throw new IllegalArgumentException("no Kibana template set '" + set + "'; there are " + SETS);
        }
        return new KibanaAlertTemplates(set);
    }

    public String set() {
        return set;
    }

    /** The index template's own settings (total fields limit, ignore_malformed, ...). */
    public JsonNode indexSettings() {
        return indexTemplate.at("/template/settings");
    }

    /** The {@code dynamic} setting the write index ends up with (the index template's, which wins). */
    public String rootDynamic() {
        return indexTemplate.at("/template/mappings/dynamic").asText();
    }

    /**
     * Every mapped field of the composed index mapping by dotted path, with its mapping (type,
     * ignore_above, fields, ...): component templates in {@code composed_of} order, a later one
     * replacing an earlier one's field, as Elasticsearch composes them. Object fields appear with
     * type {@code object} or {@code nested}; multi-fields as {@code <field>.<name>}.
     */
    public Map<String, JsonNode> mappedFields() {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode name : indexTemplate.get("composed_of")) {
            collect("", components.get(name.asText()).at("/template/mappings/properties"), out);
        }
        return out;
    }

    /** The fields of a mapping's {@code properties} by dotted path, as {@link #mappedFields()} lists them. */
    public static Map<String, JsonNode> flatten(JsonNode properties) {
        Map<String, JsonNode> out = new TreeMap<>();
        collect("", properties, out);
        return out;
    }

    /**
     * The mapping a document's leaf value gets: its own field's, or that of the flattened field
     * it lies within; {@code null} when nothing maps it (with {@code dynamic: false} it then
     * stays in {@code _source} only: returned, not searchable).
     */
    public static JsonNode specOf(Map<String, JsonNode> mapped, String path) {
        JsonNode spec = mapped.get(path);
        if (spec != null) {
            return spec;
        }
        for (String candidate = path; candidate.contains("."); ) {
            candidate = candidate.substring(0, candidate.lastIndexOf('.'));
            JsonNode parent = mapped.get(candidate);
            if (parent != null && "flattened".equals(parent.path("type").asText())) {
                return parent;
            }
        }
        return null;
    }

    private static void collect(String prefix, JsonNode properties, Map<String, JsonNode> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode spec = field.getValue();
            if (spec.has("properties")) {
                ObjectNode object =
                        MAPPER.createObjectNode().put("type", spec.path("type").asText("object"));
                out.put(path, object);
                collect(path, spec.get("properties"), out);
            } else {
                out.put(path, spec);
                spec.path("fields")
                        .fields()
                        .forEachRemaining(multi -> out.put(path + "." + multi.getKey(), multi.getValue()));
            }
        }
    }

    /**
     * Installs the set as Kibana's alerting framework does for a space: the component templates,
     * the space's index template, then the concrete write index behind its write alias. Where the
     * cluster lacks a field type or ILM, the nearest core type stands in and the lifecycle setting
     * is dropped; {@link Installed#standIns()} says which.
     */
    public Installed install(ElasticsearchClient client, String space) throws IOException {
        List<String> standIns = new ArrayList<>();
        for (String name : COMPONENT_TEMPLATES) {
            ObjectNode body = components.get(name).deepCopy();
            putUntilAccepted(body, standIns, copy -> client.cluster()
                    .putComponentTemplate(t -> t.name(name).withJson(new StringReader(copy))));
        }
        String alias = ".alerts-security.alerts-" + space;
        String templateName = alias + "-index-template";
        ObjectNode template = forSpace(space);
        putUntilAccepted(template, standIns, copy -> client.indices()
                .putIndexTemplate(t -> t.name(templateName).withJson(new StringReader(copy))));
        String writeIndex = ".internal.alerts-security.alerts-" + space + "-000001";
        client.indices().create(c -> c.index(writeIndex).aliases(alias, a -> a.isWriteIndex(true)));
        return new Installed(alias, writeIndex, templateName, standIns);
    }

    /** Removes what {@link #install} created for the space (the shared component templates stay). */
    public static void uninstall(ElasticsearchClient client, Installed installed) throws IOException {
        client.indices().delete(d -> d.index(installed.writeIndex()).ignoreUnavailable(true));
        client.indices().deleteIndexTemplate(d -> d.name(installed.indexTemplate()));
    }

    /** The index template for another space: Kibana's per-space patterns, aliases and namespace. */
    ObjectNode forSpace(String space) {
        String text = indexTemplate
                .toString()
                .replace("alerts-" + DEFAULT_SPACE, "alerts-" + space)
                .replace("signals-" + DEFAULT_SPACE, "signals-" + space)
                .replace("\"namespace\":\"" + DEFAULT_SPACE + "\"", "\"namespace\":\"" + space + "\"");
        try {
            ObjectNode template = (ObjectNode) MAPPER.readTree(text);
            template.put("priority", space.length());
            return template;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Put {
        void accept(String body) throws IOException;
    }

    private static void putUntilAccepted(ObjectNode body, List<String> standIns, Put put) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                put.accept(body.toString());
                return;
            } catch (ElasticsearchException e) {
                String reason = String.valueOf(e.getMessage());
                Matcher type = NO_HANDLER.matcher(reason);
                Matcher setting = UNKNOWN_SETTING.matcher(reason);
                if (attempt < 10 && type.find() && CORE_STAND_INS.containsKey(type.group(1))) {
                    String missing = type.group(1);
                    replaceType(body, missing, CORE_STAND_INS.get(missing));
                    standIns.add(missing + " -> " + CORE_STAND_INS.get(missing));
                } else if (attempt < 10 && setting.find()) {
                    ((ObjectNode) body.at("/template/settings")).remove("index.lifecycle");
                    standIns.add("no ILM: index.lifecycle left out");
                } else {
                    throw e;
                }
            }
        }
    }

    /** Replaces a field type everywhere in a template, dropping parameters the stand-in does not take. */
    private static void replaceType(JsonNode node, String from, String to) {
        if (node instanceof ObjectNode object) {
            if (from.equals(object.path("type").asText(null))) {
                object.put("type", to);
                object.remove("scaling_factor");
                if ("text".equals(to)) {
                    object.remove("ignore_above");
                }
            }
            object.forEach(child -> replaceType(child, from, to));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> replaceType(child, from, to));
        }
    }

    private ObjectNode load(String templateName) {
        String resource = "/kibana-alerts-as-data/" + set + "/" + templateName.substring(1) + ".json";
        try (InputStream in = KibanaAlertTemplates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test resources");
            }
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(resource + " does not parse", e);
        }
    }
}
