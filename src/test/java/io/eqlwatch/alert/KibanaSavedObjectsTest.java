package io.eqlwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/kibana/*.ndjson is what import.sh sends to Kibana's saved-objects import: one object per
 * line, references that resolve, and only fields the alerts template maps (a column or chart on an
 * unmapped field shows nothing in Kibana).
 */
class KibanaSavedObjectsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("index-pattern", "search", "dashboard", "lens", "visualization");
    private static final Pattern KQL_FIELD = Pattern.compile("([A-Za-z_@][A-Za-z0-9_.@]*)\\s*:");

    private static final Map<String, JsonNode> objects = new LinkedHashMap<>();

    @BeforeAll
    static void readSavedObjects() throws IOException {
        Path dir = Path.of(System.getProperty("basedir", "."), "docker", "kibana");
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.toString().endsWith(".ndjson"))
                    .sorted()
                    .toList();
        }
        assertFalse(files.isEmpty(), "no saved objects in " + dir);
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String where = file.getFileName() + ":" + (i + 1);
                JsonNode object;
                try {
                    object = MAPPER.readTree(lines.get(i));
                } catch (IOException e) {
                    throw new AssertionError(where + " is not one JSON object per line: " + e.getMessage(), e);
                }
                assertTrue(
                        object.isObject()
                                && object.path("id").isTextual()
                                && object.path("attributes").isObject()
                                && object.path("references").isArray(),
                        where + " lacks id, attributes or references");
                assertTrue(
                        TYPES.contains(object.path("type").asText()),
                        where + " has unknown type " + object.get("type"));
                assertTrue(
                        object.path("typeMigrationVersion").isTextual(),
                        where + " lacks typeMigrationVersion, so"
                                + " Kibana would run every migration on it since 7.0");
                assertEquals(
                        null,
                        objects.put(
                                key(
                                        object.get("type").asText(),
                                        object.get("id").asText()),
                                object),
                        where + " repeats an id");
            }
        }
    }

    private static String key(String type, String id) {
        return type + "/" + id;
    }

    @Test
    void theBundleHasTheDataViewTheSavedSearchAndTheDashboard() {
        assertTrue(
                objects.containsKey("index-pattern/eqlwatch-alerts"),
                objects.keySet().toString());
        assertTrue(
                objects.containsKey("search/eqlwatch-open-alerts"),
                objects.keySet().toString());
        assertTrue(
                objects.containsKey("dashboard/eqlwatch-alerts-dashboard"),
                objects.keySet().toString());
    }

    @Test
    void theDataViewCoversTheDefaultAlertsIndex() {
        JsonNode dataView = objects.get("index-pattern/eqlwatch-alerts").get("attributes");
        String title = dataView.get("title").asText();
        String regex = title.replace(".", "\\.").replace("*", ".*");
        assertTrue(AlertIndexSettings.DEFAULT_NAME.matches(regex), title);
        assertTrue(AlertIndexSettings.defaults().firstIndex().matches(regex), title);
        assertEquals("@timestamp", dataView.get("timeFieldName").asText());
    }

    @Test
    void everyReferenceResolvesInsideTheBundle() throws IOException {
        List<String> dangling = new ArrayList<>();
        for (JsonNode object : objects.values()) {
            for (JsonNode reference : object.get("references")) {
                if (!objects.containsKey(
                        key(reference.get("type").asText(), reference.get("id").asText()))) {
                    dangling.add(object.get("id").asText() + " -> " + reference);
                }
            }
        }
        assertEquals(List.of(), dangling);

        JsonNode dashboard = objects.get("dashboard/eqlwatch-alerts-dashboard");
        Set<String> names = new LinkedHashSet<>();
        dashboard
                .get("references")
                .forEach(reference -> names.add(reference.get("name").asText()));
        for (JsonNode panel : panels(dashboard)) {
            String panelIndex = panel.get("panelIndex").asText();
            if (panel.has("panelRefName")) {
                assertTrue(
                        names.contains(
                                panelIndex + ":" + panel.get("panelRefName").asText()),
                        "panel " + panelIndex + " refers to a missing reference");
            }
            JsonNode attributes = panel.path("embeddableConfig").path("attributes");
            for (JsonNode reference : attributes.path("references")) {
                assertTrue(
                        names.contains(panelIndex + ":" + reference.get("name").asText()),
                        "lens panel " + panelIndex + " needs dashboard reference " + panelIndex + ":"
                                + reference.get("name").asText());
            }
        }
    }

    @Test
    void everyFieldTheyUseIsMappedByTheAlertsTemplate() throws IOException {
        Map<String, String> mapped = TemplateMappings.mappedTypes();
        Map<String, String> used = new LinkedHashMap<>();

        JsonNode dataView = objects.get("index-pattern/eqlwatch-alerts").get("attributes");
        used.put(dataView.get("timeFieldName").asText(), "data view time field");

        JsonNode search = objects.get("search/eqlwatch-open-alerts").get("attributes");
        search.get("columns").forEach(column -> used.put(column.asText(), "saved search column"));
        search.get("sort").forEach(sort -> used.put(sort.get(0).asText(), "saved search sort"));
        kqlFields(
                MAPPER.readTree(search.at("/kibanaSavedObjectMeta/searchSourceJSON")
                                .asText())
                        .at("/query/query")
                        .asText(),
                "saved search query",
                used);

        for (JsonNode panel : panels(objects.get("dashboard/eqlwatch-alerts-dashboard"))) {
            JsonNode state = panel.path("embeddableConfig").path("attributes").path("state");
            if (state.isMissingNode()) {
                continue;
            }
            String title = panel.path("title").asText();
            kqlFields(state.at("/query/query").asText(), title + " query", used);
            for (JsonNode layer : state.at("/datasourceStates/formBased/layers")) {
                for (JsonNode column : layer.get("columns")) {
                    String field = column.path("sourceField").asText();
                    if (!field.isEmpty() && !field.equals("___records___")) {
                        used.put(field, title);
                        String type = mapped.get(field);
                        if ("date_histogram".equals(column.get("operationType").asText())) {
                            assertEquals("date", type, field + " in " + title + " is a time axis");
                        }
                        if ("terms".equals(column.get("operationType").asText())) {
                            assertEquals("keyword", type, field + " in " + title + " is split by terms");
                        }
                    }
                }
            }
        }

        List<String> unmapped = new ArrayList<>();
        used.forEach((field, where) -> {
            if (!mapped.containsKey(field)) {
                unmapped.add(field + " (" + where + ")");
            }
        });
        assertEquals(List.of(), unmapped, "fields the saved objects use but the template does not map");
        assertTrue(used.size() >= 10, "expected the saved objects to use a dozen fields, found " + used.keySet());
    }

    private static List<JsonNode> panels(JsonNode dashboard) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        MAPPER.readTree(dashboard.at("/attributes/panelsJSON").asText()).forEach(out::add);
        if (out.isEmpty()) {
            fail("the dashboard has no panels");
        }
        return out;
    }

    private static void kqlFields(String kql, String where, Map<String, String> out) {
        Matcher matcher = KQL_FIELD.matcher(kql);
        while (matcher.find()) {
            out.put(matcher.group(1), where);
        }
    }
}
