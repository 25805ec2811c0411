package io.eqlwatch.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads exception items in Kibana's exception-item shape (as Kibana exports them and as a rule's
 * {@code exceptions:} or a shared list's {@code items:} hold them in YAML), reporting every
 * problem with the path of the offending value so that the caller can point at file, line and
 * column. An item with a problem is left out; the others are kept.
 */
public final class ExceptionItemReader {

    /** Where problems go: the path of the value (e.g. {@code exceptions[0].entries[1].value}) and why. */
    @FunctionalInterface
    public interface Problems {
        void report(String path, String message);
    }

    /** Finds a value list by id; {@code null} when there is none. */
    @FunctionalInterface
    public interface ValueLists {
        ValueList find(String id);
    }

    static final Set<String> ITEM_KEYS = Set.of(
            "item_id",
            "list_id",
            "name",
            "description",
            "entries",
            "expire_time",
            "os_types",
            "comments",
            "type",
            "namespace_type",
            "tags",
            "meta",
            "id",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
            "tie_breaker_id",
            "_version");
    private static final Set<String> ENTRY_KEYS = Set.of("field", "operator", "type", "value", "list", "entries");
    private static final Set<String> OS_TYPES = Set.of("windows", "linux", "macos");

    private final Problems problems;
    private final ValueLists lists;
    /** Problems reported so far, so that an item with one is left out. */
    private int count;

    public ExceptionItemReader(Problems problems, ValueLists lists) {
        this.problems = problems;
        this.lists = lists;
    }

    /** The items of a YAML/JSON list at {@code path}; a missing node gives none. */
    public List<ExceptionItem> items(JsonNode node, String path, String listId) {
        List<ExceptionItem> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            problems.report(path, path + " must be a list of exception items");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            ExceptionItem item = item(node.get(i), path + "[" + i + "]", listId);
            if (item != null) {
                out.add(item);
            }
        }
        return out;
    }

    /** One item, or {@code null} (with its problems reported) when it cannot be used. */
    public ExceptionItem item(JsonNode node, String path, String listId) {
        if (!node.isObject()) {
            problems.report(path, "an exception item must be a mapping with name and entries");
            return null;
        }
        int before = count;
        unknownKeys(node, path, ITEM_KEYS);
        String name = text(node, "name");
        if (name == null || name.isBlank()) {
            report(path, "an exception item needs a name");
        }
        JsonNode entriesNode = node.get("entries");
        List<ExceptionEntry> entries = new ArrayList<>();
        if (entriesNode == null || !entriesNode.isArray() || entriesNode.isEmpty()) {
            report(path + (entriesNode == null ? "" : ".entries"), "an exception item needs a list of entries");
        } else {
            for (int i = 0; i < entriesNode.size(); i++) {
                ExceptionEntry entry = entry(entriesNode.get(i), path + ".entries[" + i + "]", false);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        Instant expire = null;
        String expireText = text(node, "expire_time");
        if (expireText != null) {
            try {
                expire = Instant.parse(expireText);
            } catch (DateTimeParseException e) {
                report(
                        path + ".expire_time",
                        "expire_time '" + expireText + "' must be an ISO-8601 instant such as 2026-12-31T00:00:00Z");
            }
        }
        List<String> osTypes = new ArrayList<>();
        JsonNode os = node.get("os_types");
        if (os != null && os.isArray()) {
            for (int i = 0; i < os.size(); i++) {
                String type = os.get(i).asText();
                if (!OS_TYPES.contains(type)) {
                    report(path + ".os_types[" + i + "]", "os type '" + type + "' must be windows, linux or macos");
                }
                osTypes.add(type);
            }
        }
        List<String> comments = new ArrayList<>();
        JsonNode commentsNode = node.get("comments");
        if (commentsNode != null && commentsNode.isArray()) {
            for (JsonNode comment : commentsNode) {
                comments.add(comment.isObject() ? comment.path("comment").asText() : comment.asText());
            }
        }
        if (count > before) {
            return null;
        }
        String ownList = text(node, "list_id");
        return new ExceptionItem(
                text(node, "item_id"),
                ownList != null ? ownList : listId,
                name,
                text(node, "description"),
                entries,
                expire,
                osTypes,
                comments);
    }

    private ExceptionEntry entry(JsonNode node, String path, boolean inNested) {
        if (!node.isObject()) {
            report(path, "an entry must be a mapping with field, type and operator");
            return null;
        }
        unknownKeys(node, path, ENTRY_KEYS);
        String field = text(node, "field");
        if (field == null || field.isBlank()) {
            report(path, "an entry needs a field");
            return null;
        }
        String type = text(node, "type");
        if (type == null) {
            report(path, "entry on '" + field + "' needs a type: match, match_any, exists, wildcard, list or nested");
            return null;
        }
        if (type.equals("nested")) {
            if (inNested) {
                report(path + ".type", "a nested entry cannot hold another nested entry");
                return null;
            }
            JsonNode inner = node.get("entries");
            if (inner == null || !inner.isArray() || inner.isEmpty()) {
                report(path, "nested entry on '" + field + "' needs a list of entries");
                return null;
            }
            List<ExceptionEntry> entries = new ArrayList<>();
            for (int i = 0; i < inner.size(); i++) {
                ExceptionEntry entry = entry(inner.get(i), path + ".entries[" + i + "]", true);
                if (entry == null) {
                    return null;
                }
                entries.add(entry);
            }
            return new ExceptionEntry.Nested(field, entries);
        }
        String operatorText = text(node, "operator");
        Operator operator = operatorText == null ? Operator.INCLUDED : Operator.parse(operatorText);
        if (operator == null) {
            report(path + ".operator", "operator '" + operatorText + "' must be included or excluded");
            return null;
        }
        switch (type) {
            case "match": {
                String value = scalar(node, path, field);
                return value == null ? null : new ExceptionEntry.Match(field, operator, value);
            }
            case "wildcard": {
                String value = scalar(node, path, field);
                return value == null ? null : new ExceptionEntry.Wildcard(field, operator, value);
            }
            case "match_any": {
                JsonNode values = node.get("value");
                if (values == null || !values.isArray() || values.isEmpty()) {
                    report(
                            path + (values == null ? "" : ".value"),
                            "match_any on '" + field + "' needs a list of values");
                    return null;
                }
                List<String> out = new ArrayList<>();
                for (JsonNode value : values) {
                    out.add(value.asText());
                }
                return new ExceptionEntry.MatchAny(field, operator, out);
            }
            case "exists":
                return new ExceptionEntry.Exists(field, operator);
            case "list":
                return listEntry(node, path, field, operator);
            default:
                report(
                        path + ".type",
                        "entry type '" + type + "' must be match, match_any, exists, wildcard, list or nested");
                return null;
        }
    }

    private ExceptionEntry listEntry(JsonNode node, String path, String field, Operator operator) {
        JsonNode ref = node.get("list");
        if (ref == null || !ref.isObject() || text(ref, "id") == null) {
            report(path, "list entry on '" + field + "' needs list: {id: ..., type: ...}");
            return null;
        }
        String id = text(ref, "id");
        String typeText = text(ref, "type");
        ValueListType type = typeText == null ? null : ValueListType.parse(typeText);
        if (typeText != null && type == null) {
            report(path + ".list.type", "list type '" + typeText + "' must be keyword, ip, ip_range or text");
            return null;
        }
        ValueList list = lists.find(id);
        if (list == null) {
            report(
                    path + ".list.id",
                    "no value list '" + id + "' (a file lists/" + (type == null ? "<type>" : type.text()) + "/" + id
                            + ".txt next to the rules)");
            return null;
        }
        if (type != null && type != list.type()) {
            report(
                    path + ".list.type",
                    "value list '" + id + "' is of type " + list.type().text() + ", not " + typeText);
            return null;
        }
        return new ExceptionEntry.InList(field, operator, list);
    }

    private String scalar(JsonNode node, String path, String field) {
        JsonNode value = node.get("value");
        if (value == null || !value.isValueNode() || value.isNull()) {
            report(path + (value == null ? "" : ".value"), "entry on '" + field + "' needs a single value");
            return null;
        }
        return value.asText();
    }

    private void report(String path, String message) {
        count++;
        problems.report(path, message);
    }

    private void unknownKeys(JsonNode node, String path, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                report(
                        path + "." + name,
                        "unknown key '" + name + "' in " + (known == ITEM_KEYS ? "exception item" : "entry"));
            }
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
