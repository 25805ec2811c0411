package io.eqlwatch.rule.importer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a rule file of Elastic's detection-rules repository: a {@code [metadata]} table (dates,
 * maturity, integrations) and a {@code [rule]} table in the same snake_case as the Kibana rules API.
 * Jackson's TOML module reads these files as Python's {@code tomllib} does, multi-line
 * {@code '''} and {@code """} strings included (checked on all of Elastic's EQL rules).
 */
public final class DetectionRulesToml {

    private static final TomlMapper TOML = new TomlMapper();
    /** Metadata that is used (a deprecated rule is imported disabled, saying since when), so not reported dropped. */
    private static final Set<String> USED_METADATA =
            Set.of("version", "maturity", "deprecation_date", "deprecated_reason");

    private final ElasticRuleFields converter = new ElasticRuleFields();

    public ImportOutcome read(Path file) {
        String source = file.getFileName().toString();
        JsonNode root;
        try {
            root = TOML.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where =
                    at == null || at.getLineNr() < 1 ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
            return new ImportOutcome.Unreadable(
                    where,
                    "invalid TOML: "
                            + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            return new ImportOutcome.Unreadable(source, "cannot read: " + e.getMessage());
        }
        return convert(source, stem(file), root);
    }

    /** Converts an already parsed detection-rules document; {@code source} names it in messages. */
    ImportOutcome convert(String source, String fileStem, JsonNode root) {
        JsonNode rule = root.get("rule");
        if (rule == null || !rule.isObject()) {
            return new ImportOutcome.Unreadable(source, "no [rule] table: not a detection-rules rule file");
        }
        JsonNode metadata = root.path("metadata");
        List<String> dropped = new ArrayList<>();
        for (Iterator<String> names = metadata.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!USED_METADATA.contains(name) && !ElasticRuleFields.isEmpty(metadata.get(name))) {
                dropped.add("metadata." + name);
            }
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("rule") && !name.equals("metadata") && !ElasticRuleFields.isEmpty(root.get(name))) {
                dropped.add(name);
            }
        }
        Map<String, JsonNode> extras =
                metadata.hasNonNull("version") ? Map.of("version", metadata.get("version")) : Map.of();
        List<String> notes = new ArrayList<>();
        String disabled = null;
        if ("deprecated".equals(metadata.path("maturity").asText())) {
            String date = metadata.path("deprecation_date").asText("");
            disabled = "deprecated in detection-rules" + (date.isEmpty() ? "" : " on " + date)
                    + "; enable it deliberately";
            notes.add("Elastic deprecated this rule" + (date.isEmpty() ? "" : " on " + date)
                    + metadata.path("deprecated_reason").asText("").transform(r -> r.isEmpty() ? "" : " (" + r + ")")
                    + ", so it is imported disabled.");
        }
        return converter.convert(source, fileStem, rule, Map.of(), extras, dropped, notes, disabled);
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
