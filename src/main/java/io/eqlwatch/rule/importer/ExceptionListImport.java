package io.eqlwatch.rule.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.eqlwatch.rule.TuningFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Turns the exception lists of a Kibana export (the Shared exception lists page's export, or the
 * lists a rule export carries after its rules: {@code exception_list} objects and their
 * {@code exception_list_item} objects) into shared exception-list files,
 * {@code exceptions/<list_id>.yml} in the target folder, where rules find them by
 * {@code exceptions_list}. Kibana's bookkeeping (ids, who changed what when) is not kept and is
 * counted in the report's dropped fields; everything that decides what an item excepts is.
 */
final class ExceptionListImport {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> LIST_KEYS =
            List.of("list_id", "name", "description", "type", "namespace_type", "os_types", "tags");
    private static final List<String> ITEM_KEYS =
            List.of("item_id", "name", "description", "expire_time", "os_types", "tags", "entries", "comments");
    private final Map<String, ObjectNode> lists = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> items = new LinkedHashMap<>();

    /** Whether a line of an export is an exception list or an item of one. */
    static boolean isExceptionObject(JsonNode node) {
        return node.has("list_id") && (node.has("item_id") || node.has("namespace_type") || node.has("entries"));
    }

    /**
     * Takes one object of the export.
     *
     * @return why the object cannot be used, or {@code null} when it was taken
     */
    String add(JsonNode node, SortedMap<String, Integer> dropped) {
        String listId = node.path("list_id").asText();
        if (node.has("item_id") || node.has("entries")) {
            if (!node.path("entries").isArray() || node.path("entries").isEmpty()) {
                return "an exception item without entries (it would except nothing), in list " + listId;
            }
            ObjectNode item = NODES.objectNode();
            for (String key : ITEM_KEYS) {
                JsonNode value = node.get(key);
                if (key.equals("comments") && value != null && value.isArray()) {
                    item.set(key, comments(value, dropped));
                } else if (value != null && !ElasticRuleFields.isEmpty(value)) {
                    item.set(key, value.deepCopy());
                }
            }
            countDropped(node, ITEM_KEYS, "exception_list_item.", dropped);
            items.computeIfAbsent(listId, k -> new ArrayList<>()).add(item);
            return null;
        } else {
            ObjectNode list = NODES.objectNode();
            for (String key : LIST_KEYS) {
                JsonNode value = node.get(key);
                if (value != null && !ElasticRuleFields.isEmpty(value)) {
                    list.set(key, value.deepCopy());
                }
            }
            countDropped(node, LIST_KEYS, "exception_list.", dropped);
            lists.put(listId, list);
            return null;
        }
    }

    private static ArrayNode comments(JsonNode comments, SortedMap<String, Integer> dropped) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode comment : comments) {
            out.addObject().put("comment", comment.path("comment").asText());
            for (Iterator<String> keys = comment.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!key.equals("comment")) {
                    dropped.merge("exception_list_item.comments." + key, 1, Integer::sum);
                }
            }
        }
        return out;
    }

    private static void countDropped(
            JsonNode node, List<String> kept, String prefix, SortedMap<String, Integer> dropped) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!kept.contains(field.getKey())
                    && !ElasticRuleFields.isEmpty(field.getValue())
                    && !(field.getKey().equals("list_id")
                            || (prefix.startsWith("exception_list_item")
                                    && (field.getKey().equals("type")
                                            || field.getKey().equals("namespace_type"))))) {
                dropped.merge(prefix + field.getKey(), 1, Integer::sum);
            }
        }
    }

    boolean isEmpty() {
        return lists.isEmpty() && items.isEmpty();
    }

    /** Writes one file per list; returns them. A list whose header the export lacks is named by its id. */
    List<Path> write(Path target) {
        Path folder = target.resolve(TuningFiles.EXCEPTIONS_FOLDER);
        List<Path> written = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>(lists.keySet());
        ids.addAll(items.keySet());
        for (String listId : ids) {
            ObjectNode list = lists.getOrDefault(
                    listId, NODES.objectNode().put("list_id", listId).put("name", listId));
            ArrayNode array = list.putArray("items");
            items.getOrDefault(listId, List.of()).forEach(array::add);
            Path file = folder.resolve(listId.replaceAll("[^A-Za-z0-9._-]+", "_") + ".yml");
            try {
                Files.createDirectories(folder);
                String header = "# Kibana exception list '" + list.path("name").asText(listId)
                        + "', imported by eqlwatch. Rules apply it with exceptions_list: [{list_id: " + listId
                        + "}].\n";
                Files.writeString(
                        file,
                        header + YAML.writeValueAsString(list).replaceFirst("^---\n", ""),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            written.add(file);
        }
        return written;
    }
}
