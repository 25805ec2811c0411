package io.eqlwatch.tuning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An exception item in Kibana's {@code exception_list_item} shape, the inverse of
 * {@link ExceptionItemReader}: what Kibana's import of a shared exception list reads.
 */
public final class ExceptionItemJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ExceptionItemJson() {}

    public static ObjectNode toJson(ExceptionItem item, String namespaceType) {
        ObjectNode out = NODES.objectNode();
        if (item.itemId() != null) {
            out.put("item_id", item.itemId());
        }
        if (item.listId() != null) {
            out.put("list_id", item.listId());
        }
        out.put("name", item.name());
        out.put("description", item.description());
        out.put("type", "simple");
        out.put("namespace_type", namespaceType);
        ArrayNode entries = out.putArray("entries");
        item.entries().forEach(entry -> entries.add(entry(entry)));
        if (item.expireTime() != null) {
            out.put("expire_time", item.expireTime().toString());
        }
        ArrayNode os = out.putArray("os_types");
        item.osTypes().forEach(os::add);
        ArrayNode comments = out.putArray("comments");
        item.comments().forEach(text -> comments.addObject().put("comment", text));
        return out;
    }

    private static ObjectNode entry(ExceptionEntry entry) {
        ObjectNode out = NODES.objectNode();
        out.put("field", entry.field());
        if (entry instanceof ExceptionEntry.Nested nested) {
            out.put("type", "nested");
            ArrayNode inner = out.putArray("entries");
            nested.entries().forEach(e -> inner.add(entry(e)));
        } else if (entry instanceof ExceptionEntry.Match match) {
            out.put("operator", match.operator().text()).put("type", "match").put("value", match.value());
        } else if (entry instanceof ExceptionEntry.MatchAny any) {
            out.put("operator", any.operator().text()).put("type", "match_any");
            ArrayNode values = out.putArray("value");
            any.values().forEach(values::add);
        } else if (entry instanceof ExceptionEntry.Exists exists) {
            out.put("operator", exists.operator().text()).put("type", "exists");
        } else if (entry instanceof ExceptionEntry.Wildcard wildcard) {
            out.put("operator", wildcard.operator().text())
                    .put("type", "wildcard")
                    .put("value", wildcard.value());
        } else {
            ExceptionEntry.InList in = (ExceptionEntry.InList) entry;
            out.put("operator", in.operator().text()).put("type", "list");
            out.putObject("list")
                    .put("id", in.list().id())
                    .put("type", in.list().type().text());
        }
        return out;
    }
}
