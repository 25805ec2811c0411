package io.eqlwatch.rule.importer;

/** What became of one rule (or would-be rule) found in a source file. */
public sealed interface ImportOutcome {

    /** Where it was found, as messages name it: {@code file.toml} or {@code export.ndjson:3}. */
    String source();

    /** Converted; to be written. */
    record Converted(ImportedRule rule) implements ImportOutcome {
        @Override
        public String source() {
            return rule.source();
        }
    }

    /** Deliberately not converted (another rule type or language, a data view, ...), with the reason. */
    record Skipped(String source, String name, String reason) implements ImportOutcome {}

    /** An exception list or an item of one (Kibana's {@code exception_list} / {@code exception_list_item}). */
    record ExceptionObject(String source, com.fasterxml.jackson.databind.JsonNode node) implements ImportOutcome {}

    /** The source could not be read as a rule at all (bad TOML or JSON), with where and why. */
    record Unreadable(String source, String reason) implements ImportOutcome {}
}
