package io.eqlwatch.rule.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.rule.RuleLoadException;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.rule.RuleProblem;
import io.eqlwatch.rule.TuningFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Converts Elastic rules (detection-rules TOML files, Kibana NDJSON exports) into eqlwatch rule YAML
 * files in one folder, then loads every written file with {@link RuleLoader} so that a file that
 * would not run is reported at once.
 */
public final class RuleImporter {

    private final DetectionRulesToml toml = new DetectionRulesToml();
    private final KibanaRuleExport kibana = new KibanaRuleExport();
    private final RuleYamlWriter writer = new RuleYamlWriter();
    private final RuleLoader loader = new RuleLoader();
    private final KibanaActionImport actions = new KibanaActionImport();

    /**
     * Imports every rule found in the inputs (files, or folders searched for {@code *.toml} and
     * {@code *.ndjson}) into {@code target}, which is created if needed. A file of the same name in
     * the target is replaced, so importing again updates the rules.
     *
     * @throws IllegalArgumentException when an input does not exist or is of a kind it cannot read
     * @throws UncheckedIOException     when the target cannot be written
     */
    public ImportReport importAll(List<Path> inputs, Path target) {
        List<ImportOutcome> outcomes = new ArrayList<>();
        List<Path> exports = new ArrayList<>();
        for (Path file : sourceFiles(inputs)) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".toml")) {
                outcomes.add(toml.read(file));
            } else {
                outcomes.addAll(kibana.read(file));
                exports.add(file);
            }
        }
        KibanaActionImport.Result notifications = actions.read(exports);
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target + ": " + e.getMessage(), e);
        }

        List<ImportReport.Written> written = new ArrayList<>();
        List<ImportOutcome.Skipped> skipped = new ArrayList<>();
        List<ImportOutcome.Unreadable> unreadable = new ArrayList<>();
        SortedMap<String, Integer> dropped = new TreeMap<>();
        List<RuleProblem> problems = new ArrayList<>();
        Map<String, String> sourceOfRuleId = new HashMap<>();
        Set<String> usedNames = new HashSet<>();
        ExceptionListImport exceptionLists = new ExceptionListImport();
        List<Path> toCheck = new ArrayList<>();
        Set<String> availableLists =
                new HashSet<>(TuningFiles.load(target).exceptionLists().keySet());
        for (ImportOutcome outcome : outcomes) {
            if (outcome instanceof ImportOutcome.ExceptionObject e) {
                availableLists.add(e.node().path("list_id").asText());
            }
        }
        for (ImportOutcome outcome : outcomes) {
            if (outcome instanceof ImportOutcome.ExceptionObject e) {
                String unusable = exceptionLists.add(e.node(), dropped);
                if (unusable != null) {
                    skipped.add(new ImportOutcome.Skipped(
                            e.source(), e.node().path("name").asText(null), unusable));
                }
                continue;
            }
            if (outcome instanceof ImportOutcome.Skipped s) {
                skipped.add(s);
                continue;
            }
            if (outcome instanceof ImportOutcome.Unreadable u) {
                unreadable.add(u);
                continue;
            }
            ImportedRule rule = ((ImportOutcome.Converted) outcome).rule();
            String ruleId = rule.ruleId();
            String earlier = ruleId == null ? null : sourceOfRuleId.putIfAbsent(ruleId, rule.source());
            if (earlier != null) {
                skipped.add(new ImportOutcome.Skipped(
                        rule.source(), rule.name(), "rule_id " + ruleId + " was already imported from " + earlier));
                continue;
            }
            rule = withResolvableExceptionLists(rule, availableLists);
            rule = rule.withFileStem(uniqueStem(rule.fileStem(), usedNames));
            Path file = target.resolve(rule.fileStem() + ".yml");
            String actionsBlock =
                    ruleId == null ? null : notifications.actionsByRule().get(ruleId);
            write(file, writer.write(rule) + (actionsBlock == null ? "" : actionsBlock));
            for (String field : rule.dropped()) {
                // Kibana's actions and their rule-level throttle became actions: entries.
                if (actionsBlock == null
                        || !(field.equals("actions")
                                || field.equals("throttle")
                                || field.equals("attributes.actions")
                                || field.equals("attributes.throttle")
                                || field.equals("attributes.notifyWhen"))) {
                    dropped.merge(field, 1, Integer::sum);
                }
            }
            written.add(new ImportReport.Written(rule, file));
            toCheck.add(file);
        }
        // Lists first: the rules that reference them are checked against them.
        List<Path> listFiles = exceptionLists.write(target);
        Set<RuleProblem> seen = new LinkedHashSet<>();
        for (Path file : toCheck) {
            try {
                loader.loadFile(file);
            } catch (RuleLoadException e) {
                seen.addAll(e.problems());
            }
        }
        if (!listFiles.isEmpty()) {
            seen.addAll(TuningFiles.load(target).problems());
        }
        problems.addAll(seen);
        return new ImportReport(written, skipped, unreadable, dropped, problems, notifications, listFiles);
    }

    /**
     * The rule without the {@code exceptions_list} references to lists that neither the import nor
     * the target folder holds (Elastic Endpoint's list, a list exported separately): the rule then
     * runs, and alerts on what the missing list would have excepted, rather than not at all. Each
     * is reported as dropped and named in the file's header.
     */
    private static ImportedRule withResolvableExceptionLists(ImportedRule rule, Set<String> available) {
        JsonNode references = rule.fields().get("exceptions_list");
        if (references == null || !references.isArray()) {
            return rule;
        }
        ArrayNode kept = JsonNodeFactory.instance.arrayNode();
        List<String> missing = new ArrayList<>();
        for (JsonNode reference : references) {
            String listId = reference.path("list_id").asText("");
            if (available.contains(listId)) {
                kept.add(reference);
            } else {
                missing.add(listId);
            }
        }
        if (missing.isEmpty()) {
            return rule;
        }
        ObjectNode fields = rule.fields().deepCopy();
        if (kept.isEmpty()) {
            fields.remove("exceptions_list");
        } else {
            fields.set("exceptions_list", kept);
        }
        List<String> dropped = new ArrayList<>(rule.dropped());
        dropped.add("exceptions_list");
        List<String> notes = new ArrayList<>(rule.notes());
        notes.add("Exception list(s) " + String.join(", ", missing) + " were not in the import; import them into "
                + "exceptions/ and add them back to exceptions_list.");
        return new ImportedRule(rule.source(), rule.fileStem(), fields, rule.comments(), dropped, notes);
    }

    private static List<Path> sourceFiles(List<Path> inputs) {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(Files::isRegularFile)
                            .filter(RuleImporter::isSourceInFolder)
                            .sorted()
                            .forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + input + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(input)) {
                String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!name.endsWith(".toml") && !name.endsWith(".ndjson") && !name.endsWith(".json")) {
                    throw new IllegalArgumentException(
                            input + ": not a rule source: expected a detection-rules .toml file"
                                    + " or a Kibana export (.ndjson)");
                }
                files.add(input);
            } else {
                throw new IllegalArgumentException(input + ": no such file or folder");
            }
        }
        return files;
    }

    private static boolean isSourceInFolder(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".toml") || name.endsWith(".ndjson"));
    }

    /** The stem, or the stem with {@code _2}, {@code _3}, ... when an earlier rule of this import took it. */
    private static String uniqueStem(String stem, Set<String> used) {
        String candidate = stem;
        for (int n = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = stem + "_" + n;
        }
        return candidate;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
