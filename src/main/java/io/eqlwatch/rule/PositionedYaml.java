package io.eqlwatch.rule;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read into a Jackson tree that remembers where each key and value stood, so that
 * validation errors can point at a line and column. Paths look like {@code threat[0].tactic.id}.
 */
public final class PositionedYaml {

    /** Line and column (1-based) of a key, and of the value it holds. */
    public record Position(int line, int column) {
        static Position of(JsonLocation location) {
            return new Position(location.getLineNr(), location.getColumnNr());
        }
    }

    /** Thread-safe once configured; one for all files, since a factory is costly to make. */
    private static final YAMLFactory YAML = new YAMLFactory();

    private final JsonNode root;
    private final Map<String, Position> keyPositions;
    private final Map<String, Position> valuePositions;

    private PositionedYaml(JsonNode root, Map<String, Position> keys, Map<String, Position> values) {
        this.root = root;
        this.keyPositions = keys;
        this.valuePositions = values;
    }

    public static PositionedYaml parse(String text) throws IOException {
        Map<String, Position> keys = new HashMap<>();
        Map<String, Position> values = new HashMap<>();
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new PositionedYaml(JsonNodeFactory.instance.nullNode(), keys, values);
            }
            JsonNode root = readValue(parser, "", keys, values);
            return new PositionedYaml(root, keys, values);
        }
    }

    private static JsonNode readValue(
            JsonParser parser, String path, Map<String, Position> keys, Map<String, Position> values)
            throws IOException {
        values.put(path, Position.of(parser.currentTokenLocation()));
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    String childPath = path.isEmpty() ? name : path + "." + name;
                    keys.put(childPath, Position.of(parser.currentTokenLocation()));
                    parser.nextToken();
                    object.set(name, readValue(parser, childPath, keys, values));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser, path + "[" + index++ + "]", keys, values));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return nodes.numberNode(parser.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(parser.getBooleanValue());
            }
            default -> {
                return nodes.nullNode();
            }
        }
    }

    public JsonNode root() {
        return root;
    }

    /** Where the key at the path was written; the document start when unknown. */
    public Position keyPosition(String path) {
        return keyPositions.getOrDefault(path, valuePosition(path));
    }

    /** Where the value at the path starts (for a block scalar, its {@code |} or {@code >} indicator). */
    public Position valuePosition(String path) {
        Position position = valuePositions.get(path);
        return position != null ? position : new Position(1, 1);
    }
}
