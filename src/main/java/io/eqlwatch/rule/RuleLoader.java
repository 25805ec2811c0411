package io.eqlwatch.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.eql.EqlParser;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.parser.EqlSyntaxException;
import io.eqlwatch.eql.parser.NameSuggestion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads rule YAML files and checks them the way a reviewer would: every unknown key, bad value,
 * missing field and EQL syntax error is reported with file, line and column, all of them at once.
 */
public final class RuleLoader {

    static final Set<String> REQUIRED =
            Set.of("rule_id", "name", "description", "type", "index", "query", "severity", "risk_score");

    static final Set<String> KNOWN = Set.of(
            "rule_id",
            "uuid",
            "name",
            "description",
            "version",
            "author",
            "license",
            "type",
            "language",
            "index",
            "query",
            "severity",
            "risk_score",
            "interval",
            "from",
            "to",
            "max_signals",
            "tags",
            "threat",
            "references",
            "false_positives",
            "note",
            "setup",
            "timestamp_override",
            "event_category_override",
            "tiebreaker_field",
            "enabled",
            "actions",
            "exceptions",
            "exceptions_list",
            "filters",
            "alert_suppression",
            "building_block_type",
            "risk_score_mapping",
            "severity_mapping",
            "rule_name_override",
            "investigation_fields",
            "timeline_id",
            "timeline_title",
            "related_integrations",
            "required_fields");

    private static final Set<String> THREAT_KEYS = Set.of("framework", "tactic", "technique");
    private static final Set<String> REFERENCE_KEYS = Set.of("id", "name", "reference");
    private static final Set<String> ACTION_KEYS =
            Set.of("connector", "frequency", "interval", "throttle", "message", "subject", "body", "html", "summary");
    private static final Set<String> TEMPLATE_KEYS = Set.of("message", "subject", "body", "html", "summary");
    private static final Set<String> TECHNIQUE_KEYS = Set.of("id", "name", "reference", "subtechnique");

    /** Kibana's defaults for a rule that does not say. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

    static final Duration DEFAULT_LOOK_BACK = Duration.ofMinutes(6);
    static final int DEFAULT_MAX_SIGNALS = 100;

    /** Loads every {@code *.yml} and {@code *.yaml} file below the folder (or the one file given). */
    public RuleSet load(Path fileOrFolder) {
        List<Path> files = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        TuningFiles tuning;
        if (Files.isDirectory(fileOrFolder)) {
            tuning = TuningFiles.load(fileOrFolder);
            try (Stream<Path> walk = Files.walk(fileOrFolder)) {
                walk.filter(Files::isRegularFile)
                        .filter(RuleLoader::isRuleFile)
                        .filter(f -> !TuningFiles.isTuningPath(fileOrFolder, f))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                problems.add(new RuleProblem(fileOrFolder, 0, 0, "cannot list rule folder: " + e.getMessage()));
            }
        } else if (Files.isRegularFile(fileOrFolder)) {
            tuning = TuningFiles.near(fileOrFolder);
            files.add(fileOrFolder);
        } else {
            tuning = TuningFiles.NONE;
            problems.add(new RuleProblem(fileOrFolder, 0, 0, "no such rule file or folder"));
        }
        problems.addAll(tuning.problems());
        List<Rule> rules = new ArrayList<>();
        Map<String, Path> seenIds = new HashMap<>();
        List<Loaded> loaded = loadAll(files, tuning);
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            try {
                Rule rule = loaded.get(i).rule();
                Path earlier = seenIds.putIfAbsent(rule.ruleId(), file);
                if (earlier != null) {
                    // The first file in path order keeps the rule_id, so the choice is the same on every
                    // start and every machine; the later file is the one reported and skipped.
                    PositionedYaml.Position at = keyPosition(file, "rule_id");
                    problems.add(new RuleProblem(
                            file,
                            at.line(),
                            at.column(),
                            "rule_id " + rule.ruleId() + " is already used by " + earlier + ", which runs; this file"
                                    + " is skipped (give it its own rule_id, or delete one of the two)"));
                } else {
                    rules.add(rule);
                }
            } catch (RuleLoadException e) {
                problems.addAll(e.problems());
            }
        }
        rules.sort(Comparator.comparing(Rule::ruleId));
        return new RuleSet(rules, problems);
    }

    /** One file's outcome: its rule, or why it did not load. */
    private record Loaded(Rule loaded, RuleLoadException problem) {
        Rule rule() {
            if (problem != null) {
                throw problem;
            }
            return loaded;
        }
    }

    /**
     * Reads and checks the files on every core (a rule folder of Elastic's thousand rules is several
     * megabytes of YAML and EQL, most of a start's time on one core), in file order: each file's
     * outcome stands where the file stands, so the rule ids and problems come out as they would one
     * file after the other.
     */
    private List<Loaded> loadAll(List<Path> files, TuningFiles tuning) {
        return files.parallelStream()
                .map(file -> {
                    try {
                        return new Loaded(loadFile(file, tuning), null);
                    } catch (RuleLoadException e) {
                        return new Loaded(null, e);
                    }
                })
                .toList();
    }

    /** Where a key of a file that already parsed once sits (for a problem found across files). */
    private static PositionedYaml.Position keyPosition(Path file, String key) {
        try {
            return PositionedYaml.parse(Files.readString(file, StandardCharsets.UTF_8))
                    .keyPosition(key);
        } catch (IOException e) {
            return new PositionedYaml.Position(0, 0);
        }
    }

    static boolean isRuleFile(Path path) {
        String name = path.getFileName().toString();
        return (name.endsWith(".yml") || name.endsWith(".yaml")) && !name.startsWith(".");
    }

    /** Loads one rule file; throws {@link RuleLoadException} listing every problem in it. */
    public Rule loadFile(Path file) {
        // A broken shared list is reported when the folder is validated; here it only fails the
        // rules that reference it (they find no such list).
        return loadFile(file, TuningFiles.near(file));
    }

    private Rule loadFile(Path file, TuningFiles tuning) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleLoadException(List.of(new RuleProblem(file, 0, 0, "cannot read: " + e.getMessage())));
        }
        return parse(text, file, tuning);
    }

    /**
     * A problem found in a loaded rule's EQL after loading (by the analysis pass against a cluster's mappings),
     * placed in the rule's file as a syntax error would be; at the whole file when the rule has no file.
     *
     * @param eqlLine   1-based line inside the query (0: no position)
     * @param eqlColumn 1-based column inside the query
     */
    public RuleProblem queryProblem(Rule rule, int eqlLine, int eqlColumn, String message) {
        Path file = rule.source();
        if (file == null || eqlLine <= 0) {
            return new RuleProblem(file, 0, 0, "EQL: " + message);
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            PositionedYaml yaml = PositionedYaml.parse(text);
            int[] at = QueryPosition.inFile(
                    text,
                    yaml.valuePosition("query").line(),
                    yaml.valuePosition("query").column(),
                    eqlLine,
                    eqlColumn);
            return new RuleProblem(file, at[0], at[1], "EQL: " + message);
        } catch (IOException e) {
            // the file changed or vanished since it was loaded: the problem still stands, without a place
            return new RuleProblem(file, 0, 0, "EQL: " + message);
        }
    }

    /** Parses rule YAML; {@code file} is only used in messages and may be {@code null}. */
    public Rule parse(String text, Path file) {
        return parse(text, file, TuningFiles.NONE);
    }

    /** Parses rule YAML whose value lists and shared exception lists come from {@code tuning}. */
    public Rule parse(String text, Path file, TuningFiles tuning) {
        PositionedYaml yaml;
        try {
            yaml = PositionedYaml.parse(text);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String reason = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
            throw new RuleLoadException(List.of(new RuleProblem(
                    file,
                    location == null ? 0 : location.getLineNr(),
                    location == null ? 0 : location.getColumnNr(),
                    "invalid YAML: " + reason)));
        } catch (IOException e) {
            throw new RuleLoadException(List.of(new RuleProblem(file, 0, 0, "cannot read: " + e.getMessage())));
        }
        return new Reading(yaml, text, file, tuning).rule();
    }

    /** The state of reading one file: the tree, and the problems found so far. */
    private static final class Reading {
        private final PositionedYaml yaml;
        private final String text;
        private final Path file;
        private final TuningFiles tuningFiles;
        private final List<RuleProblem> problems = new ArrayList<>();

        Reading(PositionedYaml yaml, String text, Path file, TuningFiles tuningFiles) {
            this.yaml = yaml;
            this.text = text;
            this.file = file;
            this.tuningFiles = tuningFiles;
        }

        Rule rule() {
            JsonNode root = yaml.root();
            if (!root.isObject()) {
                throw new RuleLoadException(List.of(new RuleProblem(
                        file, 1, 1, "a rule file must be a YAML mapping of keys such as rule_id, name and query")));
            }
            checkKeys(root, "", KNOWN);
            for (String key : REQUIRED.stream().sorted().toList()) {
                if (!root.hasNonNull(key)) {
                    problems.add(new RuleProblem(file, 0, 0, "missing required key '" + key + "'"));
                }
            }
            String ruleId = string(root, "rule_id");
            String uuid = string(root, "uuid");
            String name = string(root, "name");
            String description = string(root, "description");
            int version = integer(root, "version", 1, 1, Integer.MAX_VALUE);
            String type = string(root, "type");
            if (type != null && !type.equals("eql")) {
                problem("type", "type '" + type + "' is not supported: eqlwatch runs rules of type eql");
            }
            String language = string(root, "language");
            if (language != null && !language.equals("eql")) {
                problem("language", "language '" + language + "' is not supported: eqlwatch runs EQL");
            }
            List<String> index = strings(root, "index");
            if (root.has("index") && index.isEmpty()) {
                problem("index", "index must list at least one index pattern");
            }
            String severityText = string(root, "severity");
            Severity severity = severityText == null ? null : Severity.parse(severityText);
            if (severityText != null && severity == null) {
                problem("severity", "severity '" + severityText + "' must be one of low, medium, high, critical");
            }
            int riskScore = integer(root, "risk_score", 0, 0, 100);
            Duration interval = duration(root, "interval", DEFAULT_INTERVAL);
            Duration lookBack = lookBack(root);
            String to = string(root, "to");
            if (to != null && !to.equals("now")) {
                problem("to", "to '" + to + "' is not supported: a run's window always ends at now");
            }
            int maxSignals = integer(root, "max_signals", DEFAULT_MAX_SIGNALS, 1, 10_000);
            if (interval != null && lookBack != null && lookBack.compareTo(interval) < 0) {
                problem(
                        "from",
                        "the look-back (" + DurationText.format(lookBack)
                                + ") is shorter than the interval (" + DurationText.format(interval)
                                + "): events between runs would never be read");
            }
            String queryText = string(root, "query");
            Query query = queryText == null ? null : query(queryText);
            List<Threat> threat = threats(root);
            boolean enabled = !root.has("enabled") || bool(root, "enabled");
            List<RuleAction> actions = actions(root);
            RuleTuning tuning = new TuningReading(root, tuningFiles, this::problem).tuning();

            if (!problems.isEmpty()) {
                throw new RuleLoadException(problems);
            }
            return new Rule(
                    ruleId,
                    uuid,
                    name,
                    description,
                    version,
                    strings(root, "author"),
                    string(root, "license"),
                    index,
                    queryText,
                    query,
                    severity,
                    riskScore,
                    interval,
                    lookBack,
                    maxSignals,
                    strings(root, "tags"),
                    threat,
                    strings(root, "references"),
                    strings(root, "false_positives"),
                    string(root, "note"),
                    string(root, "timestamp_override"),
                    string(root, "event_category_override"),
                    string(root, "tiebreaker_field"),
                    enabled,
                    file,
                    tuning,
                    actions);
        }

        private void checkKeys(JsonNode object, String path, Set<String> known) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    String childPath = path.isEmpty() ? name : path + "." + name;
                    PositionedYaml.Position at = yaml.keyPosition(childPath);
                    // Beyond a third of the word the guess is more confusing than helpful.
                    String hint = NameSuggestion.closest(name, known, Math.max(2, name.length() / 3))
                            .map(k -> " (did you mean '" + k + "'?)")
                            .orElse("");
                    problems.add(new RuleProblem(file, at.line(), at.column(), "unknown key '" + name + "'" + hint));
                }
            }
        }

        private void problem(String path, String message) {
            PositionedYaml.Position at = yaml.valuePosition(path);
            problems.add(new RuleProblem(file, at.line(), at.column(), message));
        }

        private String string(JsonNode node, String key) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isValueNode()) {
                problem(key, key + " must be a single value, not a " + (value.isArray() ? "list" : "mapping"));
                return null;
            }
            return value.asText();
        }

        private boolean bool(JsonNode node, String key) {
            JsonNode value = node.get(key);
            if (!value.isBoolean()) {
                problem(key, key + " must be true or false");
                return true;
            }
            return value.booleanValue();
        }

        private int integer(JsonNode node, String key, int fallback, int min, int max) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
                problem(
                        key,
                        key + " must be a whole number from " + min + " to " + max + ", not '" + value.asText() + "'");
                return fallback;
            }
            return value.intValue();
        }

        private List<String> strings(JsonNode node, String key) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return List.of();
            }
            if (value.isValueNode()) {
                return List.of(value.asText());
            }
            List<String> out = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isValueNode() || element.isNull()) {
                    problem(key, key + " must be a list of text values");
                    return List.of();
                }
                out.add(element.asText());
            }
            return out;
        }

        private Duration duration(JsonNode node, String key, Duration fallback) {
            String value = string(node, key);
            if (value == null) {
                return fallback;
            }
            try {
                return DurationText.parse(value);
            } catch (IllegalArgumentException e) {
                problem(key, key + ": " + e.getMessage());
                return null;
            }
        }

        private Duration lookBack(JsonNode root) {
            String from = string(root, "from");
            if (from == null) {
                return DEFAULT_LOOK_BACK;
            }
            if (!from.startsWith("now-")) {
                problem("from", "from '" + from + "' must look like now-9m (now, a minus sign, and a duration)");
                return null;
            }
            try {
                return DurationText.parse(from.substring(4));
            } catch (IllegalArgumentException e) {
                problem("from", "from: " + e.getMessage());
                return null;
            }
        }

        private Query query(String queryText) {
            try {
                return EqlParser.parse(queryText);
            } catch (EqlSyntaxException e) {
                int[] at = QueryPosition.inFile(
                        text,
                        yaml.valuePosition("query").line(),
                        yaml.valuePosition("query").column(),
                        e.line(),
                        e.column());
                problems.add(new RuleProblem(file, at[0], at[1], "EQL: " + e.reason()));
                return null;
            }
        }

        private List<Threat> threats(JsonNode root) {
            JsonNode threats = root.get("threat");
            if (threats == null || threats.isNull()) {
                return List.of();
            }
            if (!threats.isArray()) {
                problem("threat", "threat must be a list of MITRE ATT&CK mappings");
                return List.of();
            }
            List<Threat> out = new ArrayList<>();
            for (int i = 0; i < threats.size(); i++) {
                String path = "threat[" + i + "]";
                JsonNode threat = threats.get(i);
                if (!threat.isObject()) {
                    problem(path, "each threat must be a mapping with framework, tactic and technique");
                    continue;
                }
                checkKeys(threat, path, THREAT_KEYS);
                Threat.Tactic tactic = null;
                JsonNode tacticNode = threat.get("tactic");
                if (tacticNode != null && tacticNode.isObject()) {
                    checkKeys(tacticNode, path + ".tactic", REFERENCE_KEYS);
                    tactic = new Threat.Tactic(
                            text(tacticNode, "id"), text(tacticNode, "name"), text(tacticNode, "reference"));
                } else {
                    problem(path, "threat needs a tactic with id, name and reference");
                }
                List<Threat.Technique> techniques = new ArrayList<>();
                JsonNode techniqueList = threat.path("technique");
                for (int t = 0; t < techniqueList.size(); t++) {
                    JsonNode technique = techniqueList.get(t);
                    String techniquePath = path + ".technique[" + t + "]";
                    checkKeys(technique, techniquePath, TECHNIQUE_KEYS);
                    List<Threat.Subtechnique> subs = new ArrayList<>();
                    JsonNode subList = technique.path("subtechnique");
                    for (int s = 0; s < subList.size(); s++) {
                        JsonNode sub = subList.get(s);
                        checkKeys(sub, techniquePath + ".subtechnique[" + s + "]", REFERENCE_KEYS);
                        subs.add(new Threat.Subtechnique(text(sub, "id"), text(sub, "name"), text(sub, "reference")));
                    }
                    techniques.add(new Threat.Technique(
                            text(technique, "id"), text(technique, "name"), text(technique, "reference"), subs));
                }
                out.add(new Threat(threat.path("framework").asText("MITRE ATT&CK"), tactic, techniques));
            }
            return out;
        }

        /** The rule's {@code actions:}; which connectors exist is checked where the connectors are loaded. */
        private List<RuleAction> actions(JsonNode root) {
            JsonNode list = root.get("actions");
            if (list == null || list.isNull()) {
                return List.of();
            }
            if (!list.isArray()) {
                problem("actions", "actions must be a list, each with a connector and a frequency");
                return List.of();
            }
            List<RuleAction> out = new ArrayList<>();
            Set<String> keys = new java.util.HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String path = "actions[" + i + "]";
                JsonNode action = list.get(i);
                if (!action.isObject()) {
                    problem(path, "each action must be a mapping with a connector and a frequency");
                    continue;
                }
                checkKeys(action, path, ACTION_KEYS);
                String connector = text(action, "connector");
                if (connector == null || connector.isBlank()) {
                    problem(path, "an action needs the name of a connector");
                    continue;
                }
                String frequencyText = text(action, "frequency");
                RuleAction.Frequency frequency = frequencyText == null
                        ? RuleAction.Frequency.PER_ALERT
                        : RuleAction.Frequency.parse(frequencyText);
                if (frequency == null) {
                    problem(path + ".frequency", "frequency '" + frequencyText + "' must be per_alert or summary");
                    continue;
                }
                Duration interval = actionDuration(action, path, "interval");
                if (interval != null && frequency != RuleAction.Frequency.SUMMARY) {
                    problem(path + ".interval", "interval makes a digest and needs frequency: summary");
                }
                Duration throttle = actionDuration(action, path, "throttle");
                java.util.Map<String, String> templates = new java.util.HashMap<>();
                for (String part : TEMPLATE_KEYS) {
                    String template = text(action, part);
                    if (template != null) {
                        templates.put(part, template);
                    }
                }
                RuleAction parsed = new RuleAction(connector, frequency, interval, throttle, templates);
                if (!keys.add(parsed.key())) {
                    problem(path, "a second action for connector '" + connector + "' with the same frequency");
                }
                out.add(parsed);
            }
            return out;
        }

        private Duration actionDuration(JsonNode action, String path, String key) {
            String value = text(action, key);
            if (value == null) {
                return null;
            }
            try {
                return DurationText.parse(value);
            } catch (IllegalArgumentException e) {
                problem(path + "." + key, key + ": " + e.getMessage());
                return null;
            }
        }

        private static String text(JsonNode node, String key) {
            JsonNode value = node.get(key);
            return value == null || value.isNull() ? null : value.asText();
        }
    }
}
