package io.eqlwatch.rule.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.rule.RuleSet;
import io.eqlwatch.rule.Severity;
import io.eqlwatch.rule.Threat;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports the project's own detection-rules-style files and loads the result as the daemon would. */
class RuleImporterTest {

    private static final TomlMapper TOML = new TomlMapper();

    @TempDir
    Path target;

    static Path resource(String name) {
        try {
            return Path.of(RuleImporterTest.class.getResource("/import/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private ImportReport importRules() {
        return new RuleImporter().importAll(List.of(resource("detection-rules")), target);
    }

    private Map<String, Rule> loaded() {
        RuleSet set = new RuleLoader().load(target);
        assertEquals(List.of(), set.problems());
        return set.rules().stream()
                .collect(Collectors.toMap(r -> r.source().getFileName().toString(), Function.identity()));
    }

    @Test
    void everyEqlRuleIsWrittenAndLoadsWithoutProblems() {
        ImportReport report = importRules();

        assertEquals(List.of(), report.problems());
        assertEquals(List.of(), report.unreadable());
        assertEquals(
                List.of(
                        "credential_access_repeated_failures.yml",
                        "defense_evasion_tool_without_cleanup.yml",
                        "discovery_burst_sample.yml",
                        "execution_office_child_shell.yml",
                        "lateral_movement_rdp_then_service.yml",
                        "persistence_old_run_key.yml"),
                report.written().stream()
                        .map(w -> w.file().getFileName().toString())
                        .sorted()
                        .toList());
        assertEquals(6, loaded().size());
    }

    @Test
    void aRuleOfAnotherTypeIsSkippedWithTheReason() {
        ImportReport report = importRules();

        assertEquals(1, report.skipped().size());
        ImportOutcome.Skipped skipped = report.skipped().get(0);
        assertEquals("initial_access_kql_not_eql.toml", skipped.source());
        assertEquals("Login From Tor Exit Node", skipped.name());
        assertEquals("type 'query' is not an EQL rule", skipped.reason());
        assertFalse(Files.exists(target.resolve("initial_access_kql_not_eql.yml")));
    }

    /** Field by field: what the loader reads from the written YAML is what the TOML said. */
    @Test
    void everyKeptFieldSurvivesTheRoundTrip() throws IOException {
        importRules();
        Map<String, Rule> rules = loaded();
        for (Map.Entry<String, Rule> entry : rules.entrySet()) {
            String stem = entry.getKey().replace(".yml", "");
            JsonNode source =
                    TOML.readTree(Files.readString(resource("detection-rules").resolve(stem + ".toml")));
            JsonNode toml = source.get("rule");
            Rule rule = entry.getValue();
            String where = entry.getKey() + ": ";

            assertEquals(toml.get("rule_id").asText(), rule.ruleId(), where + "rule_id");
            assertEquals(toml.get("name").asText(), rule.name(), where + "name");
            assertEquals(toml.get("description").asText(), rule.description(), where + "description");
            assertEquals(toml.get("query").asText(), rule.queryText(), where + "query");
            assertEquals(texts(toml.get("index")), rule.index(), where + "index");
            assertEquals(texts(toml.get("author")), rule.author(), where + "author");
            assertEquals(toml.get("license").asText(), rule.license(), where + "license");
            assertEquals(Severity.parse(toml.get("severity").asText()), rule.severity(), where + "severity");
            assertEquals(toml.get("risk_score").asInt(), rule.riskScore(), where + "risk_score");
            assertEquals(texts(toml.get("tags")), rule.tags(), where + "tags");
            assertEquals(texts(toml.get("references")), rule.references(), where + "references");
            assertEquals(texts(toml.get("false_positives")), rule.falsePositives(), where + "false_positives");
            assertEquals(toml.path("note").asText(null), rule.note(), where + "note");
            assertEquals(
                    toml.path("timestamp_override").asText(null),
                    rule.timestampOverride(),
                    where + "timestamp_override");
            assertEquals(
                    toml.path("event_category_override").asText(null),
                    rule.eventCategoryOverride(),
                    where + "event_category_override");
            assertEquals(
                    toml.path("tiebreaker_field").asText(null), rule.tiebreakerField(), where + "tiebreaker_field");
            assertEquals(toml.path("max_signals").asInt(100), rule.maxSignals(), where + "max_signals");
            assertEquals(minutes(toml.path("interval").asText("5m")), rule.interval(), where + "interval");
            assertEquals(minutes(toml.path("from").asText("now-6m").substring(4)), rule.lookBack(), where + "from");
            assertEquals(threats(toml.get("threat")), rule.threat(), where + "threat");
            assertEquals(
                    !"deprecated"
                            .equals(source.path("metadata").path("maturity").asText()),
                    rule.enabled(),
                    where + "enabled");
        }
    }

    @Test
    void theTestRulesCoverEveryShapeOfQuery() {
        importRules();
        Map<String, Rule> rules = loaded();

        assertTrue(rules.get("execution_office_child_shell.yml").query().body() instanceof EventQuery);
        assertTrue(rules.get("discovery_burst_sample.yml").query().body() instanceof SampleQuery);
        SequenceQuery until = (SequenceQuery)
                rules.get("lateral_movement_rdp_then_service.yml").query().body();
        assertTrue(until.until() != null, "until");
        SequenceQuery runs = (SequenceQuery)
                rules.get("credential_access_repeated_failures.yml").query().body();
        assertEquals(5, runs.stages().get(0).runs(), "runs");
        SequenceQuery missing = (SequenceQuery)
                rules.get("defense_evasion_tool_without_cleanup.yml").query().body();
        assertTrue(missing.stages().get(2).missing(), "missing event");
        assertEquals(1, rules.get("persistence_old_run_key.yml").query().pipes().size(), "head pipe");
    }

    @Test
    void theQueryIsWrittenAsALiteralBlockAndDefaultsAreSpelledOut() throws IOException {
        importRules();
        String text = Files.readString(target.resolve("defense_evasion_tool_without_cleanup.yml"));

        assertTrue(
                text.contains(
                        "\nquery: |\n  sequence by host.id with maxspan=1m\n"
                                + "    [file where event.type == \"creation\" and endsWith~(file.name, \".exe\")] by file.path\n"),
                text);
        assertTrue(text.contains("\ninterval: 5m  # Kibana's default; the source does not set it\n"), text);
        assertTrue(text.contains("\nfrom: now-6m  # Kibana's default; the source does not set it\n"), text);
        String oneLine = Files.readString(target.resolve("persistence_old_run_key.yml"));
        assertTrue(
                oneLine.contains("\nquery: |-\n  registry where registry.path : \"*\\\\CurrentVersion\\\\Run\\\\*\""),
                oneLine);
    }

    @Test
    void aDeprecatedRuleIsImportedDisabledSayingWhy() throws IOException {
        importRules();
        String text = Files.readString(target.resolve("persistence_old_run_key.yml"));

        assertTrue(
                text.contains(
                        "# Elastic deprecated this rule on 2023/09/01 (replaced by a broader rule), so it is imported disabled."),
                text);
        assertTrue(
                text.contains(
                        "\nenabled: false  # deprecated in detection-rules on 2023/09/01; enable it deliberately\n"),
                text);
        assertFalse(loaded().get("persistence_old_run_key.yml").enabled());
    }

    @Test
    void fieldsWithNoMeaningHereAreCountedPerNameAndNamedInTheFile() throws IOException {
        ImportReport report = importRules();

        assertEquals(
                Map.of(
                        "metadata.creation_date",
                        6,
                        "metadata.updated_date",
                        6,
                        "metadata.integration",
                        2,
                        "metadata.min_stack_comments",
                        1,
                        "metadata.min_stack_version",
                        1,
                        "transform",
                        1),
                report.dropped());
        String text = Files.readString(target.resolve("lateral_movement_rdp_then_service.yml"));
        assertTrue(
                text.contains(
                        "# Not kept (no meaning in eqlwatch): metadata.creation_date, metadata.integration,"
                                + " metadata.min_stack_comments, metadata.min_stack_version, metadata.updated_date, transform.\n"),
                text);
    }

    @Test
    void importingAgainReplacesTheFiles() {
        importRules();
        ImportReport again = importRules();

        assertEquals(6, again.written().size());
        assertEquals(6, loaded().size());
    }

    @Test
    void aBrokenTomlFileIsReportedWithItsPosition(@TempDir Path sources) throws IOException {
        Files.writeString(sources.resolve("broken.toml"), "[rule]\nname = \"unterminated\nquery = 'x'\n");

        ImportReport report = new RuleImporter().importAll(List.of(sources), target);

        assertEquals(1, report.unreadable().size());
        ImportOutcome.Unreadable unreadable = report.unreadable().get(0);
        assertTrue(unreadable.source().startsWith("broken.toml:2:"), unreadable.source());
        assertTrue(unreadable.reason().startsWith("invalid TOML: "), unreadable.reason());
    }

    @Test
    void aRuleIdSeenTwiceIsImportedOnce(@TempDir Path sources) throws IOException {
        Path original = resource("detection-rules").resolve("execution_office_child_shell.toml");
        Files.copy(original, sources.resolve("a.toml"));
        Files.copy(original, sources.resolve("b.toml"));

        ImportReport report = new RuleImporter().importAll(List.of(sources), target);

        assertEquals(1, report.written().size());
        assertEquals(
                "rule_id 0b7e1c1e-5b0a-4a52-9a47-0e7f4ab8a001 was already imported from a.toml",
                report.skipped().get(0).reason());
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            list.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    private static Duration minutes(String text) {
        return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
    }

    private static List<Threat> threats(JsonNode list) {
        List<Threat> out = new ArrayList<>();
        for (JsonNode t : list) {
            JsonNode tactic = t.get("tactic");
            List<Threat.Technique> techniques = new ArrayList<>();
            for (JsonNode technique : t.path("technique")) {
                List<Threat.Subtechnique> subs = new ArrayList<>();
                for (JsonNode sub : technique.path("subtechnique")) {
                    subs.add(new Threat.Subtechnique(
                            sub.get("id").asText(),
                            sub.get("name").asText(),
                            sub.get("reference").asText()));
                }
                techniques.add(new Threat.Technique(
                        technique.get("id").asText(),
                        technique.get("name").asText(),
                        technique.get("reference").asText(),
                        subs));
            }
            out.add(new Threat(
                    t.get("framework").asText(),
                    new Threat.Tactic(
                            tactic.get("id").asText(),
                            tactic.get("name").asText(),
                            tactic.get("reference").asText()),
                    techniques));
        }
        return out;
    }
}
