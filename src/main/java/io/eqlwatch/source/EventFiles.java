package io.eqlwatch.source;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.TimestampParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads events from a file, for running EQL with no Elasticsearch: NDJSON (one event object a line)
 * or one JSON array of event objects, told apart by the file's first character. An element may be
 * an event's source itself, or a search hit ({@code {"_id", "_index", "_source": {...}}}).
 *
 * <p>An event's id is its {@code _id} when it has one, else its line number; its index is its
 * {@code _index}, else the file's name. Its timestamp is read as Elasticsearch's default date
 * format reads it (ISO-8601, or epoch milliseconds as a number or numeric string).
 *
 * <p>An event that cannot be used (a line that is not JSON, not an object, or has no valid
 * timestamp) is not fatal: it is left out and listed in {@link Contents#malformed()} with its line
 * and the reason, for the caller to report. Only a file that cannot be read, or a JSON array whose
 * syntax breaks (after which no element can be found reliably), fails with {@link EventFileException}.
 */
public final class EventFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final String timestampField;
    private final String tiebreakerField;

    /**
     * @param timestampField  the field holding each event's time (normally {@code @timestamp})
     * @param tiebreakerField the field ordering events of equal time, or {@code null}
     */
    public EventFiles(String timestampField, String tiebreakerField) {
        this.timestampField = Objects.requireNonNull(timestampField, "timestampField");
        this.tiebreakerField = tiebreakerField;
    }

    /** The usable events of a file, in file order, and what was left out. */
    public record Contents(List<Event> events, List<Malformed> malformed) {
        public Contents {
            events = List.copyOf(events);
            malformed = List.copyOf(malformed);
        }
    }

    /** An element of the file that is not a usable event. */
    public record Malformed(Path file, long line, String reason) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + reason;
        }
    }

    public Contents read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new EventFileException(file + ": no such file", null);
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return startsWithArray(file) ? readArray(file, reader) : readLines(file, reader);
        } catch (IOException e) {
            throw new EventFileException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static boolean startsWithArray(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int c = reader.read();
            while (c == '\uFEFF' || (c >= 0 && Character.isWhitespace(c))) {
                c = reader.read();
            }
            return c == '[';
        }
    }

    private Contents readLines(Path file, BufferedReader reader) throws IOException {
        List<Event> events = new ArrayList<>();
        List<Malformed> malformed = new ArrayList<>();
        String line;
        long number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try (JsonParser parser = JSON.createParser(line)) {
                node = parser.readValueAsTree();
                if (parser.nextToken() != null) {
                    malformed.add(new Malformed(file, number, "more than one JSON value on the line"));
                    continue;
                }
            } catch (JacksonException e) {
                malformed.add(new Malformed(file, number, "not valid JSON: " + firstLine(e)));
                continue;
            }
            long at = number;
            toEvent(file, at, node)
                    .ifPresentOrElse(events::add, () -> malformed.add(new Malformed(file, at, problem(node))));
        }
        return new Contents(events, malformed);
    }

    private Contents readArray(Path file, BufferedReader reader) throws IOException {
        List<Event> events = new ArrayList<>();
        List<Malformed> malformed = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(reader)) {
            parser.nextToken(); // the '['
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new EventFileException(file + ": the JSON array is not closed with ']'", null);
                }
                long line = parser.currentTokenLocation().getLineNr();
                JsonNode node = parser.readValueAsTree();
                toEvent(file, line, node)
                        .ifPresentOrElse(events::add, () -> malformed.add(new Malformed(file, line, problem(node))));
            }
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new EventFileException(
                        file + ":" + at.getLineNr() + ":" + at.getColumnNr()
                                + ": unexpected content after the JSON array of events",
                        null);
            }
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? file.toString() : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new EventFileException(
                    where + ": not valid JSON: " + firstLine(e)
                            + " (a JSON array of events must be valid as a whole; NDJSON is read line by line)",
                    e);
        }
        return new Contents(events, malformed);
    }

    /** The event, or empty when the element is not a usable event ({@link #problem} says why). */
    private Optional<Event> toEvent(Path file, long line, JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return Optional.empty();
        }
        ObjectNode sourceNode = object;
        if (object.get("_source") instanceof ObjectNode hitSource) {
            sourceNode = hitSource;
        } else if (object.has("_id") || object.has("_index")) {
            sourceNode = object.deepCopy();
            sourceNode.remove(List.of("_id", "_index"));
        }
        Map<String, Object> source = JSON.convertValue(sourceNode, MAP);
        String id = object.hasNonNull("_id") ? object.get("_id").asText() : Long.toString(line);
        String index = object.hasNonNull("_index")
                ? object.get("_index").asText()
                : file.getFileName().toString();
        Event probe = new Event(id, index, Instant.EPOCH, null, source);
        Optional<Instant> timestamp = TimestampParser.parse(probe.first(timestampField));
        if (timestamp.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Event(id, index, timestamp.get(), tiebreaker(probe), source));
    }

    private Comparable<?> tiebreaker(Event probe) {
        if (tiebreakerField == null) {
            return null;
        }
        Object value = probe.first(tiebreakerField);
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String || value instanceof Boolean) {
            return (Comparable<?>) value;
        }
        return value == null ? null : value.toString();
    }

    /** Why {@link #toEvent} refused the element. */
    private String problem(JsonNode node) {
        if (!node.isObject()) {
            return "expected an event (a JSON object), found "
                    + node.getNodeType().toString().toLowerCase(Locale.ROOT);
        }
        JsonNode source = node.get("_source") instanceof ObjectNode hitSource ? hitSource : node;
        Object raw = new Event("", "", Instant.EPOCH, null, JSON.convertValue(source, MAP)).first(timestampField);
        return raw == null
                ? "no " + timestampField + " (the event's time; see --timestamp-field)"
                : timestampField + " '" + raw + "' is not a timestamp (expected ISO-8601 or epoch milliseconds)";
    }

    private static String firstLine(JacksonException e) {
        return e.getOriginalMessage().lines().findFirst().orElse("invalid JSON");
    }
}
