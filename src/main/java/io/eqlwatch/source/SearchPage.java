package io.eqlwatch.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.eqlwatch.event.SlotLayout;
import io.eqlwatch.event.SlottedSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One page of a search response, decoded hit by hit with a streaming parser, so that a document that cannot
 * be used costs that document and not the page. A hit whose {@code _source} nests deeper than
 * {@link #MAX_SOURCE_DEPTH} (Elasticsearch's own mapping depth limit is 20, so such a document holds nothing a
 * rule could read) is kept as a {@link Hit} with a {@link Hit#problem() problem} and no source.
 *
 * @param pitId     the point in time to use for the next page, or null when the response had none
 * @param hits      the hits in the order of the response
 * @param failedShards how many shards failed to answer
 * @param shardFailures the shard failures as the response gave them, for the error message
 */
record SearchPage(String pitId, List<Hit> hits, int failedShards, String shardFailures) {

    /** Objects and arrays inside a {@code _source} nested deeper than this make the hit unusable. */
    static final int MAX_SOURCE_DEPTH = 200;

    /**
     * The parser itself accepts any depth and length: limits are applied per hit, so that exceeding one
     * rejects the hit instead of aborting the whole response (Jackson's default nesting limit of 1000
     * is reached by a 1,000-deep document, which Elasticsearch accepts and returns).
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .build())
            .build();

    /**
     * One hit.
     *
     * @param index   the concrete index
     * @param id      the document id
     * @param source  the {@code _source} as plain JSON values ({@code Map}, {@code List}, {@code String},
     *                {@code Number}, {@code Boolean}, {@code null}), or as the slots of the page's layout (a
     *                {@link SlottedSource}); empty when the hit has none or a problem
     * @param sort    the hit's sort values ({@code String}, {@code Long}, {@code BigInteger}, {@code Double},
     *                {@code Boolean} or {@code null}), to resume after it
     * @param problem why the hit cannot be used, or null
     */
    record Hit(String index, String id, Map<String, Object> source, List<Object> sort, String problem) {}

    static SearchPage parse(InputStream body) throws IOException {
        return parse(body, null);
    }

    /**
     * What the next page's request needs from a response, read without decoding its hits.
     *
     * @param pitId    the point in time the response names, or null when it names none
     * @param lastSort the sort values of the response's last hit, as {@link Hit#sort()} gives them
     */
    record Tail(String pitId, List<Object> lastSort) {}

    private static final byte[] SORT_KEY = ",\"sort\":[".getBytes(StandardCharsets.US_ASCII);

    /**
     * The point in time and the last hit's sort values of a whole response, found without decoding the hits: so the
     * next page can be requested while this one is decoded. Empty when the response has no hit, or is not shaped as
     * Elasticsearch writes it (the last hit's {@code sort} its last field, compact JSON); the caller then decodes the
     * page first. The key is searched for from the end: inside a JSON string a quote is always escaped, so
     * {@code ,"sort":[} is a key there, and the last hit's sort is written after its {@code _source}.
     */
    static Optional<Tail> tail(byte[] body) {
        int at = lastIndexOf(body, SORT_KEY);
        if (at < 0) {
            return Optional.empty();
        }
        int arrayStart = at + SORT_KEY.length - 1;
        try (JsonParser parser = JSON.createParser(body, arrayStart, body.length - arrayStart)) {
            parser.nextToken();
            List<Object> values = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null || token.isStructStart()) {
                    return Optional.empty();
                }
                values.add(scalar(parser, token));
            }
            int after = arrayStart + (int) parser.currentLocation().getByteOffset();
            if (after + 1 >= body.length || body[after] != '}' || body[after + 1] != ']') {
                return Optional.empty();
            }
            return Optional.of(new Tail(pitId(body), sortValues(values)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The response's {@code pit_id}, which Elasticsearch writes before its hits; null when it has none. */
    private static String pitId(byte[] body) throws IOException {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("pit_id")) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                if (name.equals("hits")) {
                    return null;
                }
                parser.skipChildren();
            }
            return null;
        }
    }

    private static int lastIndexOf(byte[] body, byte[] key) {
        outer:
        for (int i = body.length - key.length; i >= 0; i--) {
            for (int j = 0; j < key.length; j++) {
                if (body[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * A page whose hits' sources are decoded into the slots of {@code layout} ({@link SlottedSource}), or as plain
     * JSON values when it is null.
     */
    static SearchPage parse(InputStream body, SlotLayout layout) throws IOException {
        SlotDecoder slots = layout == null ? null : new SlotDecoder(layout);
        try (JsonParser parser = parser(body)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
            String pitId = null;
            List<Hit> hits = List.of();
            int failed = 0;
            String failures = "";
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "pit_id" -> pitId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "_shards" -> {
                        Object shards = readValue(parser, value, 0);
                        if (shards instanceof Map<?, ?> map) {
                            failed = map.get("failed") instanceof Number n ? n.intValue() : 0;
                            failures = String.valueOf(map.get("failures"));
                        }
                    }
                    case "hits" -> hits = readHitsObject(parser, value, slots);
                    default -> parser.skipChildren();
                }
            }
            return new SearchPage(pitId, hits, failed, failures);
        }
    }

    private static List<Hit> readHitsObject(JsonParser parser, JsonToken token, SlotDecoder slots) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return List.of();
        }
        List<Hit> hits = List.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("hits") && value == JsonToken.START_ARRAY) {
                hits = new ArrayList<>();
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    hits.add(readHit(parser, slots));
                }
            } else {
                parser.skipChildren();
            }
        }
        return hits;
    }

    private static Hit readHit(JsonParser parser, SlotDecoder slots) throws IOException {
        String index = null;
        String id = null;
        Map<String, Object> source = Map.of();
        List<Object> sort = List.of();
        String problem = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "_index" -> index = parser.getText();
                case "_id" -> id = parser.getText();
                case "_source" -> {
                    source = slots == null ? readSource(parser, value) : readSlots(parser, value, slots);
                    if (source == null) {
                        problem = TOO_DEEP;
                        source = Map.of();
                    }
                }
                case "sort" -> {
                    Object values = readValue(parser, value, 0);
                    sort = values instanceof List<?> list ? sortValues(list) : List.of();
                }
                default -> parser.skipChildren();
            }
        }
        return new Hit(index, id, source, sort, problem);
    }

    /** Integer sort values as Long, whatever their size, as the typed client's {@code FieldValue} gave them. */
    private static List<Object> sortValues(List<?> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Object value : values) {
            out.add(value instanceof Integer i ? (Object) i.longValue() : value);
        }
        return out;
    }

    static final String TOO_DEEP = "its _source nests deeper than " + MAX_SOURCE_DEPTH + " levels";

    /**
     * Reads a {@code _source} value whose first token is current: its plain JSON values, an empty map for
     * anything but an object, or null (the rest of it skipped) when it nests deeper than {@link #MAX_SOURCE_DEPTH}.
     */
    static Map<String, Object> readSource(JsonParser parser, JsonToken first) throws IOException {
        if (first != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return Map.of();
        }
        JsonStreamContext outside = parser.getParsingContext().getParent();
        try {
            return readObject(parser, 1);
        } catch (TooDeep e) {
            skipOut(parser, outside);
            return null;
        }
    }

    /** As {@link #readSource}, into the decoder's slots. */
    private static Map<String, Object> readSlots(JsonParser parser, JsonToken first, SlotDecoder slots)
            throws IOException {
        try {
            return slots.decode(parser, first);
        } catch (TooDeep e) {
            return null;
        }
    }

    /** A parser for a response holding documents: no limit of its own, see {@link #readSource}. */
    static JsonParser parser(InputStream body) throws IOException {
        return JSON.createParser(body);
    }

    /** Signals a {@code _source} too deep to use; the parser has already skipped the rest of it. */
    static final class TooDeep extends Exception {
        private static final long serialVersionUID = 1L;

        TooDeep() {
            super(null, null, false, false);
        }
    }

    /** Reads the object whose START_OBJECT is the current token; {@code depth} is its own nesting level. */
    private static Map<String, Object> readObject(JsonParser parser, int depth) throws IOException, TooDeep {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            map.put(name, readNested(parser, parser.nextToken(), depth));
        }
        return map;
    }

    private static List<Object> readArray(JsonParser parser, int depth) throws IOException, TooDeep {
        List<Object> list = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            list.add(readNested(parser, token, depth));
        }
        return list;
    }

    /**
     * A value whose first token is current, held in a container at nesting level {@code depth}; one nested
     * deeper than {@link #MAX_SOURCE_DEPTH} throws with the parser inside it (see {@link #skipOut}).
     */
    static Object readNested(JsonParser parser, JsonToken token, int depth) throws IOException, TooDeep {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            if (depth >= MAX_SOURCE_DEPTH) {
                throw new TooDeep();
            }
            return token == JsonToken.START_OBJECT ? readObject(parser, depth + 1) : readArray(parser, depth + 1);
        }
        return scalar(parser, token);
    }

    /** Reads on to just past the value that was begun in the context {@code outside}, however deep inside it is. */
    static void skipOut(JsonParser parser, JsonStreamContext outside) throws IOException {
        // Without recursion: the parser knows its own nesting, so walk tokens until back out there.
        while (parser.getParsingContext() != outside) {
            if (parser.nextToken() == null) {
                throw new IOException("Search response ends inside a document's _source");
            }
        }
    }

    /** Reads a value outside any _source (sort values, shard info), where depth is small and bounded. */
    private static Object readValue(JsonParser parser, JsonToken token, int depth) throws IOException {
        JsonStreamContext here = parser.getParsingContext();
        JsonStreamContext outside = token.isStructStart() ? here.getParent() : here;
        try {
            return readNested(parser, token, depth);
        } catch (TooDeep e) {
            skipOut(parser, outside);
            return null;
        }
    }

    static Object scalar(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> integer(parser);
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException(
                    "Unexpected " + token + " in search response at " + parser.currentLocation());
        };
    }

    /** Integers as the generic JSON mapping gives them: Integer, else Long, else BigInteger. */
    private static Object integer(JsonParser parser) throws IOException {
        return switch (parser.getNumberType()) {
            case INT -> parser.getIntValue();
            case LONG -> parser.getLongValue();
            default -> parser.getBigIntegerValue();
        };
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser parser) throws IOException {
        if (actual != expected) {
            throw new IOException(
                    "Search response is not a JSON object (got " + actual + " at " + parser.currentLocation() + ")");
        }
    }
}
