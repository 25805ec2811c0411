package io.eqlwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.eqlwatch.eql.parser.NameSuggestion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A YAML file of option values, keyed by the options' long names without dashes:
 * {@code es-url: https://es.example:9200}, {@code threads: 4}. A list becomes the comma-separated
 * value the option takes. Keys no command knows are an error, so a typo does not silently fall back
 * to a default.
 */
final class ConfigFile {

    private final Path path;
    private final Map<String, String> values;

    private ConfigFile(Path path, Map<String, String> values) {
        this.path = path;
        this.values = values;
    }

    static ConfigFile none() {
        return new ConfigFile(null, Map.of());
    }

    /**
     * @param knownKeys every option's long name without dashes
     * @throws UserFacingException when the file is missing, not YAML, not a mapping, or has an unknown key
     */
    static ConfigFile read(Path path, Collection<String> knownKeys) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new UserFacingException("config file " + path + " does not exist");
        } catch (JsonProcessingException e) {
            String where =
                    e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new UserFacingException(
                    "config file " + path + " is not valid YAML" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UserFacingException("cannot read config file " + path + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ConfigFile(path, Map.of());
        }
        if (!root.isObject()) {
            throw new UserFacingException("config file " + path + " must be a mapping of option names to values,"
                    + " e.g. 'es-url: https://es.example:9200'");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey().startsWith("--") ? field.getKey().substring(2) : field.getKey();
            if (!knownKeys.contains(key)) {
                String suggestion = NameSuggestion.closest(key, knownKeys, 3)
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                throw new UserFacingException(
                        "config file " + path + ": unknown option '" + field.getKey() + "'" + suggestion);
            }
            values.put(key, text(path, key, field.getValue()));
        }
        return new ConfigFile(path, values);
    }

    private static String text(Path path, String key, JsonNode value) {
        if (value.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode item : value) {
                joined.append(joined.isEmpty() ? "" : ",").append(text(path, key, item));
            }
            return joined.toString();
        }
        if (value.isContainerNode()) {
            throw new UserFacingException("config file " + path + ": '" + key + "' must be a single value or a list");
        }
        return value.isNull() ? null : value.asText();
    }

    /** The value for an option's long name without dashes, or {@code null}. */
    String value(String key) {
        return values.get(key);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    Path path() {
        return path;
    }
}
