package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule's version is the hash of its file: alike on every node with the same file, different for any edit. */
class RuleCatalogTest {

    private static final String RULE =
            """
            rule_id: 3a3a3a3a-1111-2222-3333-444444444444
            name: Versioned rule
            description: d
            type: eql
            index: [logs-*]
            severity: low
            risk_score: 21
            query: process where process.name == "NAME"
            """;

    @TempDir
    Path folder;

    @Test
    void theSameFileGivesTheSameVersionOnEveryNodeAndAnEditAnother() throws Exception {
        Path a = Files.createDirectories(folder.resolve("node-a"));
        Path b = Files.createDirectories(folder.resolve("node-b"));
        Files.writeString(a.resolve("r.yml"), RULE.replace("NAME", "x.exe"));
        Files.writeString(b.resolve("r.yml"), RULE.replace("NAME", "x.exe"));
        String onA = version(a);
        assertEquals(16, onA.length());
        assertEquals(onA, version(b), "copies of one file in two folders have one version");
        Files.writeString(b.resolve("r.yml"), RULE.replace("NAME", "y.exe"));
        assertNotEquals(onA, version(b), "an edit is a new version");
    }

    @Test
    void aRuleKeptAtItsLastGoodVersionKeepsThatVersionsHash() throws Exception {
        Files.writeString(folder.resolve("r.yml"), RULE.replace("NAME", "x.exe"));
        Rule rule = new RuleLoader().load(folder).rules().get(0);
        RuleCatalog catalog = new RuleCatalog();
        String good = catalog.update(List.of(rule)).get(rule.ruleId()).version();
        // The file breaks; the watcher hands on the same (last good) rule object.
        Files.writeString(folder.resolve("r.yml"), "query: [");
        assertEquals(good, catalog.update(List.of(rule)).get(rule.ruleId()).version());
        catalog.update(List.of());
        assertNull(catalog.get(rule.ruleId()), "a removed rule leaves the catalog");
    }

    private static String version(Path dir) {
        Rule rule = new RuleLoader().load(dir).rules().get(0);
        return RuleCatalog.entryOf(rule).version();
    }
}
