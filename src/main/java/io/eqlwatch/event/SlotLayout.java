package io.eqlwatch.event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields a read gives its events, each with a slot: the index at which a {@link SlottedSource} holds that
 * field's values. Built once per set of fields and shared (the same set gives the same layout), so a reader
 * that resolved its slot in one layout finds it again by identity. A path is also a trie of name segments for
 * the decoder, which follows a document's keys (nested objects and dotted keys alike) only where some slot lies.
 * Immutable.
 */
public final class SlotLayout {

    private static final int MAX_CACHED = 1_000;
    private static final Map<Collection<String>, SlotLayout> CACHE = new ConcurrentHashMap<>();

    private final List<String> paths;
    private final Map<String, Integer> slots;
    private final Node root;

    private SlotLayout(List<String> paths) {
        this.paths = List.copyOf(paths);
        Map<String, Integer> bySlot = new HashMap<>();
        Node.Builder rootBuilder = new Node.Builder();
        for (int i = 0; i < this.paths.size(); i++) {
            String path = this.paths.get(i);
            bySlot.put(path, i);
            Node.Builder at = rootBuilder;
            for (String segment : path.split("\\.", -1)) {
                at = at.children.computeIfAbsent(segment, s -> new Node.Builder());
            }
            at.slot = i;
        }
        this.slots = Map.copyOf(bySlot);
        this.root = rootBuilder.build();
    }

    /**
     * The layout of these field paths. A path with an empty segment ({@code a..b}, {@code .a}) gets no slot:
     * Elasticsearch refuses such a name in a document, so no value can be found under it.
     */
    public static SlotLayout of(Collection<String> fields) {
        TreeSet<String> key = new TreeSet<>();
        for (String field : fields) {
            if (wellFormed(field)) {
                key.add(field);
            }
        }
        SlotLayout cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        SlotLayout layout = new SlotLayout(new ArrayList<>(key));
        if (CACHE.size() < MAX_CACHED) {
            SlotLayout raced = CACHE.putIfAbsent(key, layout);
            return raced == null ? layout : raced;
        }
        return layout;
    }

    private static boolean wellFormed(String field) {
        return !field.isEmpty() && !field.startsWith(".") && !field.endsWith(".") && !field.contains("..");
    }

    /** How many slots there are. */
    public int size() {
        return paths.size();
    }

    /** The field path of slot {@code slot}. */
    public String path(int slot) {
        return paths.get(slot);
    }

    /** The slot of the field path, or -1 when the layout has none for it. */
    public int slot(String path) {
        Integer slot = slots.get(path);
        return slot == null ? -1 : slot;
    }

    /** The trie node of the document's root object. */
    public Node root() {
        return root;
    }

    @Override
    public String toString() {
        return "SlotLayout" + paths;
    }

    /**
     * One name segment in the trie of the layout's paths: the slot of the path ending here (or -1) and the
     * segments that can follow it.
     */
    public static final class Node {

        private final int slot;
        private final Map<String, Node> children;

        private Node(int slot, Map<String, Node> children) {
            this.slot = slot;
            this.children = children;
        }

        /** The slot of the path that ends at this node; -1 when none does. */
        public int slot() {
            return slot;
        }

        /** Whether some slot lies below this node. */
        public boolean hasChildren() {
            return !children.isEmpty();
        }

        /**
         * The node reached from this one by a document key, which may itself hold dots ({@code "b.c"} under
         * {@code a} reaches {@code a.b.c}); null when no slot lies at or below it.
         */
        public Node child(String key) {
            Node direct = children.get(key);
            if (direct != null || key.indexOf('.') < 0) {
                return direct;
            }
            Node at = this;
            int from = 0;
            while (at != null) {
                int dot = key.indexOf('.', from);
                if (dot < 0) {
                    return at.children.get(key.substring(from));
                }
                at = at.children.get(key.substring(from, dot));
                from = dot + 1;
            }
            return null;
        }

        private static final class Builder {
            private final Map<String, Builder> children = new HashMap<>();
            private int slot = -1;

            Node build() {
                Map<String, Node> built = new HashMap<>();
                children.forEach((segment, child) -> built.put(segment, child.build()));
                return new Node(slot, built.isEmpty() ? Map.of() : Map.copyOf(built));
            }
        }
    }
}
