package io.eqlwatch.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dotted field name resolved in a document the way Elasticsearch resolves it: through nested objects, dotted
 * keys and mixes of the two ({@code {"host": {"os": {"type": "w"}}}}, {@code {"host.os.type": "w"}} and
 * {@code {"host.os": {"type": "w"}}} all give {@code host.os.type}), into arrays of objects, with arrays of
 * values flattened and {@code null}s dropped. The one implementation of field lookup: events ({@code Map}
 * sources), the EQL evaluator and alert documents ({@link JsonNode}) all resolve through it. Every split of the
 * name is prepared once, so a lookup allocates nothing but its result.
 */
public final class FieldPath {

    private static final int MAX_CACHED = 10_000;
    private static final Map<String, FieldPath> CACHE = new ConcurrentHashMap<>();

    private final String name;
    /** For each dot in the name: the part before it, and the rest after it as a path of its own. */
    private final String[] heads;

    private final FieldPath[] tails;

    private FieldPath(String name) {
        this.name = name;
        List<String> headList = new ArrayList<>();
        List<FieldPath> tailList = new ArrayList<>();
        int dot = name.indexOf('.');
        while (dot > 0) {
            headList.add(name.substring(0, dot));
            tailList.add(new FieldPath(name.substring(dot + 1)));
            dot = name.indexOf('.', dot + 1);
        }
        this.heads = headList.toArray(String[]::new);
        this.tails = tailList.toArray(FieldPath[]::new);
    }

    /** The path of {@code name}; paths of names seen before are shared. */
    public static FieldPath of(String name) {
        FieldPath cached = CACHE.get(name);
        if (cached != null) {
            return cached;
        }
        FieldPath path = new FieldPath(name);
        if (CACHE.size() < MAX_CACHED) {
            CACHE.putIfAbsent(name, path);
        }
        return path;
    }

    public String name() {
        return name;
    }

    /** Every value of the field in a source of plain JSON values ({@code Map}, {@code List}, scalars). */
    public List<Object> values(Map<String, Object> source) {
        return values(source, null);
    }

    /**
     * Every value of the field, an explicit JSON {@code null} (alone or in an array) read as {@code nullValue},
     * as Elasticsearch indexes and returns a field whose mapping sets {@code null_value}; {@code null} for none.
     */
    public List<Object> values(Map<String, Object> source, Object nullValue) {
        List<Object> out = new ArrayList<>(2);
        collect(source, PLAIN, nullValue, out);
        return out;
    }

    /** Every leaf value of the field in a JSON document. */
    public List<JsonNode> values(JsonNode document) {
        List<JsonNode> out = new ArrayList<>(1);
        collect(document, TREE, null, out);
        return out;
    }

    private <N> void collect(N node, Shape<N> shape, N nullValue, List<N> out) {
        if (node == null) {
            return;
        }
        if (shape.isArray(node)) {
            for (N element : shape.elements(node)) {
                collect(element, shape, nullValue, out);
            }
            return;
        }
        if (!shape.isObject(node)) {
            return;
        }
        // The whole remaining name as one key, then every split point.
        N whole = shape.get(node, name);
        if (whole != null) {
            addLeaves(whole, shape, nullValue, out);
        } else if (nullValue != null && shape.has(node, name)) {
            out.add(nullValue);
        }
        for (int i = 0; i < heads.length; i++) {
            N child = shape.get(node, heads[i]);
            if (child != null) {
                tails[i].collect(child, shape, nullValue, out);
            }
        }
    }

    private static <N> void addLeaves(N value, Shape<N> shape, N nullValue, List<N> out) {
        if (value == null || shape.isNull(value)) {
            if (nullValue != null) {
                out.add(nullValue);
            }
            return;
        }
        if (shape.isArray(value)) {
            for (N element : shape.elements(value)) {
                addLeaves(element, shape, nullValue, out);
            }
        } else {
            out.add(value);
        }
    }

    /** How to walk one kind of document tree. */
    private interface Shape<N> {
        boolean isArray(N node);

        Iterable<N> elements(N array);

        boolean isObject(N node);

        /** The member {@code key} of an object, or null. */
        N get(N object, String key);

        /** Whether the object has the member {@code key}, even one whose value is {@code null}. */
        boolean has(N object, String key);

        boolean isNull(N node);
    }

    private static final Shape<Object> PLAIN = new Shape<>() {
        @Override
        public boolean isArray(Object node) {
            return node instanceof List<?>;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Iterable<Object> elements(Object array) {
            return (List<Object>) array;
        }

        @Override
        public boolean isObject(Object node) {
            return node instanceof Map<?, ?>;
        }

        @Override
        public Object get(Object object, String key) {
            return ((Map<?, ?>) object).get(key);
        }

        @Override
        public boolean has(Object object, String key) {
            return ((Map<?, ?>) object).containsKey(key);
        }

        @Override
        public boolean isNull(Object node) {
            return false;
        }
    };

    private static final Shape<JsonNode> TREE = new Shape<>() {
        @Override
        public boolean isArray(JsonNode node) {
            return node.isArray();
        }

        @Override
        public Iterable<JsonNode> elements(JsonNode array) {
            return array;
        }

        @Override
        public boolean isObject(JsonNode node) {
            return node.isObject();
        }

        @Override
        public JsonNode get(JsonNode object, String key) {
            return object.get(key);
        }

        @Override
        public boolean has(JsonNode object, String key) {
            return object.has(key);
        }

        @Override
        public boolean isNull(JsonNode node) {
            return node.isNull() || node.isMissingNode();
        }
    };
}
