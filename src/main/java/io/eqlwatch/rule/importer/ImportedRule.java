package io.eqlwatch.rule.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One source rule converted to eqlwatch's YAML schema, ready to be written.
 *
 * @param source   where it came from, as messages name it ({@code file.toml}, {@code export.ndjson:3})
 * @param fileStem the file name to write, without extension (from the source file or a slug of the name)
 * @param fields   the rule's YAML keys in the order they are written
 * @param comments a short comment to write after a key's value, by key (e.g. why a default was filled in)
 * @param dropped  source fields with content that have no meaning in eqlwatch, by path
 *                 ({@code investigation_fields}, {@code metadata.maturity}); never silently lost
 * @param notes    facts about the conversion worth a line in the file's header
 */
public record ImportedRule(
        String source,
        String fileStem,
        ObjectNode fields,
        Map<String, String> comments,
        List<String> dropped,
        List<String> notes) {

    public ImportedRule {
        comments = new LinkedHashMap<>(comments);
        dropped = List.copyOf(dropped);
        notes = List.copyOf(notes);
    }

    public String ruleId() {
        return fields.path("rule_id").asText(null);
    }

    public String name() {
        return fields.path("name").asText(null);
    }

    public ImportedRule withFileStem(String stem) {
        return new ImportedRule(source, stem, fields, comments, dropped, notes);
    }
}
