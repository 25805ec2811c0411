package io.eqlwatch.rule.importer;

import io.eqlwatch.rule.RuleProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an import did.
 *
 * @param written    converted rules and the file each went to
 * @param skipped    rules deliberately not converted, with the reason
 * @param unreadable sources that could not be read as rules, with where and why
 * @param dropped    for each source field name with no meaning in eqlwatch, how many rules had it
 * @param problems   problems the rule loader finds in the written files (there should be none; a rule
 *                   whose query eqlwatch cannot parse ends up here)
 * @param notifications the Kibana exports' actions and connectors, converted
 * @param exceptionLists shared exception-list files written from the export's exception lists
 */
public record ImportReport(
        List<Written> written,
        List<ImportOutcome.Skipped> skipped,
        List<ImportOutcome.Unreadable> unreadable,
        SortedMap<String, Integer> dropped,
        List<RuleProblem> problems,
        KibanaActionImport.Result notifications,
        List<Path> exceptionLists) {

    public ImportReport {
        exceptionLists = List.copyOf(exceptionLists);
        written = List.copyOf(written);
        skipped = List.copyOf(skipped);
        unreadable = List.copyOf(unreadable);
        dropped = new TreeMap<>(dropped);
        problems = List.copyOf(problems);
    }

    /** A converted rule and where it was written. */
    public record Written(ImportedRule rule, Path file) {}

    /** Dropped field names, most frequent first (then by name). */
    public List<Map.Entry<String, Integer>> droppedByFrequency() {
        return dropped.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .toList();
    }
}
