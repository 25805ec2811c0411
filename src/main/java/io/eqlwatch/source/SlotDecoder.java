package io.eqlwatch.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.eqlwatch.event.FieldPath;
import io.eqlwatch.event.SlotLayout;
import io.eqlwatch.event.SlottedSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Decodes a {@code _source} with the streaming parser straight into the slots of a {@link SlotLayout}, never
 * building the document as maps: it follows a key only where the layout's trie has a slot at or below the path
 * it makes (nested objects and dotted keys compose one path: {@code {"a":{"b.c":1}}} is {@code a.b.c}), skips
 * every other subtree, flattens arrays (arrays of objects too) and keeps explicit nulls for the readers'
 * {@code null_value}. It finds what {@link FieldPath#values(Map, Object)} finds in the same document, in the same
 * order: that walk takes, in each object, the key that completes the name first, then the shorter keys before the
 * longer, so each value is filed under its route (per object the rank of its key, per array its index) and a
 * slot's values kept in route order. An object met where a slot's value is expected is that value, as a map.
 *
 * <p>Elasticsearch refuses a document with a key twice in one object, so none is decoded here (the generic
 * mapping would keep the last). One decoder serves one thread; it is reused hit after hit.
 */
public final class SlotDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlotLayout layout;
    /** Per slot the values found so far in this document, and where each one's route starts in {@link #routes}. */
    private final Object[][] values;

    private final int[][] routeStarts;
    private final int[] counts;
    /** Slots holding values in this document, so that finishing one touches only those. */
    private final int[] touched;

    private int touchedCount;
    /** The routes of this document's values, each as its length followed by its elements. */
    private int[] routes = new int[256];

    private int routesEnd;
    /** The route of the value being read: per object the rank of its key, per array the element's index. */
    private int[] route = new int[32];

    private int routeDepth;
    /** The page's repeated string values, one object each. */
    private final PageStrings strings = new PageStrings();

    public SlotDecoder(SlotLayout layout) {
        this.layout = layout;
        int size = layout.size();
        this.values = new Object[size][];
        this.routeStarts = new int[size][];
        this.counts = new int[size];
        this.touched = new int[size];
    }

    public SlotLayout layout() {
        return layout;
    }

    /**
     * The slots of a document given as plain JSON values (as {@link SearchPage} decodes them): for what builds
     * events from maps (an event file, a benchmark), decoded as a search response's would be.
     */
    public static SlottedSource of(SlotLayout layout, Map<String, Object> source) {
        return new SlotDecoder(layout).decode(source);
    }

    /**
     * As {@link #of}, with this decoder: the documents one decoder reads share their repeated short strings, as
     * the hits of one search page do.
     */
    public SlottedSource decode(Map<String, Object> source) {
        try {
            // Through the JSON text, as a response arrives: every value is then the decoder's own, made beside the
            // event's other values, not one shared with the map it came from.
            byte[] text = JSON.writeValueAsBytes(source);
            try (JsonParser parser = JSON.createParser(text)) {
                return decode(parser, parser.nextToken());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SearchPage.TooDeep e) {
            throw new IllegalArgumentException("source nests deeper than " + SearchPage.MAX_SOURCE_DEPTH + " levels");
        }
    }

    /**
     * Decodes the {@code _source} value whose first token is current; anything but an object holds no field.
     * A document nested deeper than {@link SearchPage#MAX_SOURCE_DEPTH} throws {@link SearchPage.TooDeep}, the
     * parser then past its end, as {@link SearchPage#readSource} treats it.
     */
    SlottedSource decode(JsonParser parser, JsonToken first) throws IOException, SearchPage.TooDeep {
        reset();
        if (first != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return finish();
        }
        JsonStreamContext outside = parser.getParsingContext().getParent();
        try {
            within(parser, first, layout.root(), 0);
        } catch (SearchPage.TooDeep e) {
            SearchPage.skipOut(parser, outside);
            reset();
            throw e;
        }
        return finish();
    }

    private void reset() {
        for (int i = 0; i < touchedCount; i++) {
            counts[touched[i]] = 0;
        }
        touchedCount = 0;
        routesEnd = 0;
        routeDepth = 0;
    }

    private SlottedSource finish() {
        Object[] cells = new Object[layout.size()];
        for (int i = 0; i < touchedCount; i++) {
            int slot = touched[i];
            int count = counts[slot];
            cells[slot] = count == 1 ? values[slot][0] : Arrays.copyOf(values[slot], count);
        }
        reset();
        return new SlottedSource(layout, cells);
    }

    /**
     * The value (its first token current) under a path that some slot lies below: an object's keys are followed
     * where the trie goes on, an array's elements are each read so; any other value holds nothing there.
     *
     * @param depth the nesting level of the container holding the value (0 for the source object itself)
     */
    private void within(JsonParser parser, JsonToken token, SlotLayout.Node node, int depth)
            throws IOException, SearchPage.TooDeep {
        if (token == JsonToken.START_OBJECT) {
            checkDepth(depth);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                SlotLayout.Node child = node.child(key);
                JsonToken value = parser.nextToken();
                if (child == null) {
                    skip(parser, value, depth + 1);
                } else {
                    keyed(parser, value, child, rank(key), depth + 1);
                }
            }
        } else if (token == JsonToken.START_ARRAY) {
            checkDepth(depth);
            int index = 0;
            JsonToken element;
            while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                push(index++);
                within(parser, element, node, depth + 1);
                pop();
            }
        }
    }

    /** A key's value when the key led to {@code node}: the slot's value if a slot ends there, and what lies below. */
    private void keyed(JsonParser parser, JsonToken token, SlotLayout.Node node, int rank, int depth)
            throws IOException, SearchPage.TooDeep {
        if (node.slot() < 0) {
            push(rank);
            within(parser, token, node, depth);
            pop();
            return;
        }
        if (node.hasChildren() && token.isStructStart()) {
            // The subtree is both this slot's value and where deeper slots lie: decoded once as plain values, then
            // walked twice as tokens. (Copying the parser's own tokens instead left it a stale number in Jackson
            // 2.18.)
            Object tree = SearchPage.readNested(parser, token, depth);
            TokenBuffer copy = new TokenBuffer(JSON, false);
            JSON.writeValue(copy, tree);
            try (JsonParser again = copy.asParser()) {
                push(0);
                leaves(again, again.nextToken(), node.slot(), depth);
                pop();
            }
            try (JsonParser again = copy.asParser()) {
                push(rank);
                within(again, again.nextToken(), node, depth);
                pop();
            }
            return;
        }
        // The key completes the slot's path: first of its object's keys in the route, as FieldPath takes it first.
        push(0);
        leaves(parser, token, node.slot(), depth);
        pop();
    }

    /** A slot's value: arrays flattened (with each element's index in the route), an object kept as a map. */
    private void leaves(JsonParser parser, JsonToken token, int slot, int depth)
            throws IOException, SearchPage.TooDeep {
        switch (token) {
            case START_ARRAY -> {
                checkDepth(depth);
                int index = 0;
                JsonToken element;
                while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                    push(index++);
                    leaves(parser, element, slot, depth + 1);
                    pop();
                }
            }
            case START_OBJECT -> add(slot, SearchPage.readNested(parser, token, depth));
            case VALUE_NULL -> add(slot, SlottedSource.EXPLICIT_NULL);
            case VALUE_STRING -> add(slot, strings.text(parser));
            default -> add(slot, SearchPage.scalar(parser, token));
        }
    }

    /** Skips a value no slot needs, still refusing a document nested too deep, as the generic decoding does. */
    private static void skip(JsonParser parser, JsonToken token, int depth) throws IOException, SearchPage.TooDeep {
        if (!token.isStructStart()) {
            return;
        }
        checkDepth(depth);
        int open = 1;
        while (open > 0) {
            JsonToken next = parser.nextToken();
            if (next == null) {
                throw new IOException("Search response ends inside a document's _source");
            }
            if (next.isStructStart()) {
                if (depth + open >= SearchPage.MAX_SOURCE_DEPTH) {
                    throw new SearchPage.TooDeep();
                }
                open++;
            } else if (next.isStructEnd()) {
                open--;
            }
        }
    }

    /** A container held at nesting level {@code depth}: too deep inside a level-200 one (the source is level 1). */
    private static void checkDepth(int depth) throws SearchPage.TooDeep {
        if (depth >= SearchPage.MAX_SOURCE_DEPTH) {
            throw new SearchPage.TooDeep();
        }
    }

    /** A key's rank in FieldPath's walk of one object, for a key that does not complete the path: its dots, + 1. */
    private static int rank(String key) {
        int dots = 1;
        for (int i = key.indexOf('.'); i >= 0; i = key.indexOf('.', i + 1)) {
            dots++;
        }
        return dots;
    }

    private void push(int element) {
        if (routeDepth == route.length) {
            route = Arrays.copyOf(route, route.length * 2);
        }
        route[routeDepth++] = element;
    }

    private void pop() {
        routeDepth--;
    }

    private void add(int slot, Object value) {
        int count = counts[slot];
        if (count == 0) {
            touched[touchedCount++] = slot;
            if (values[slot] == null) {
                values[slot] = new Object[2];
                routeStarts[slot] = new int[2];
            }
        } else if (count == values[slot].length) {
            values[slot] = Arrays.copyOf(values[slot], count * 2);
            routeStarts[slot] = Arrays.copyOf(routeStarts[slot], count * 2);
        }
        int start = saveRoute();
        // Document order is the walk's order but for keys of one object met longest first: move back past those.
        int at = count;
        while (at > 0 && compareRoutes(start, routeStarts[slot][at - 1]) < 0) {
            at--;
        }
        Object[] slotValues = values[slot];
        int[] starts = routeStarts[slot];
        System.arraycopy(slotValues, at, slotValues, at + 1, count - at);
        System.arraycopy(starts, at, starts, at + 1, count - at);
        slotValues[at] = value;
        starts[at] = start;
        counts[slot] = count + 1;
    }

    private int saveRoute() {
        int needed = routesEnd + routeDepth + 1;
        if (needed > routes.length) {
            routes = Arrays.copyOf(routes, Math.max(needed, routes.length * 2));
        }
        int start = routesEnd;
        routes[start] = routeDepth;
        System.arraycopy(route, 0, routes, start + 1, routeDepth);
        routesEnd = needed;
        return start;
    }

    private int compareRoutes(int a, int b) {
        int lengthA = routes[a];
        int lengthB = routes[b];
        for (int i = 1; i <= Math.min(lengthA, lengthB); i++) {
            int c = Integer.compare(routes[a + i], routes[b + i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(lengthA, lengthB);
    }
}
