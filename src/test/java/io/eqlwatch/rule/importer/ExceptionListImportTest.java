package io.eqlwatch.rule.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.rule.RuleSet;
import io.eqlwatch.rule.TuningFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kibana's Shared exception lists export, into exception-list files and back. */
class ExceptionListImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String LIST =
            """
            {"_version":"WzEsMV0=","created_at":"2026-11-01T09:00:00.000Z","created_by":"soc","description":"Servers that push software over SMB","id":"8f0a","immutable":false,"list_id":"deployment-servers","name":"Deployment servers","namespace_type":"single","os_types":["windows"],"tags":["smb"],"tie_breaker_id":"t1","type":"detection","updated_at":"2026-11-01T09:00:00.000Z","updated_by":"soc","version":1}""";
    private static final String ITEM_LIST_ENTRY =
            """
            {"_version":"WzIsMV0=","comments":[{"comment":"Agreed with the backup team","created_at":"2026-11-01T09:01:00.000Z","created_by":"soc","id":"c1"}],"created_at":"2026-11-01T09:01:00.000Z","created_by":"soc","description":"Backup agent push","entries":[{"field":"source.ip","operator":"included","type":"list","list":{"id":"backup-servers","type":"ip"}},{"field":"file.path","operator":"included","type":"wildcard","value":"C:\\\\Windows\\\\Temp\\\\agent-*.exe"}],"expire_time":"2027-06-30T00:00:00.000Z","id":"9a1","item_id":"backup-push","list_id":"deployment-servers","name":"Backup agent push","namespace_type":"single","os_types":["windows"],"tags":[],"tie_breaker_id":"t2","type":"simple","updated_at":"2026-11-01T09:01:00.000Z","updated_by":"soc"}""";
    private static final String ITEM_NESTED =
            """
            {"description":"","entries":[{"field":"host.name","operator":"excluded","type":"match_any","value":["dc01","dc02"]},{"field":"threat.enrichments","type":"nested","entries":[{"field":"indicator.type","operator":"included","type":"match","value":"ipv4-addr"}]},{"field":"user.name","operator":"included","type":"exists"}],"item_id":"sccm","list_id":"deployment-servers","name":"SCCM","namespace_type":"single","os_types":[],"type":"simple"}""";
    private static final String SUMMARY =
            """
            {"exported_exception_list_count":1,"exported_exception_list_item_count":2,"missing_exception_list_item_count":0,"missing_exception_list_items":[],"missing_exception_lists":[],"missing_exception_lists_count":0}""";

    @TempDir
    Path folder;

    private ImportReport importExport() throws IOException {
        Path export = folder.resolve("exceptions_export.ndjson");
        Files.writeString(export, String.join("\n", LIST, ITEM_LIST_ENTRY, ITEM_NESTED, SUMMARY) + "\n");
        Path rules = folder.resolve("rules");
        Files.createDirectories(rules.resolve("lists/ip"));
        Files.writeString(rules.resolve("lists/ip/backup-servers.txt"), "10.20.0.11\n");
        return new RuleImporter().importAll(List.of(export), rules);
    }

    @Test
    void anExportBecomesOneListFileThatLoadsWithoutProblems() throws IOException {
        ImportReport report = importExport();

        assertEquals(List.of(folder.resolve("rules/exceptions/deployment-servers.yml")), report.exceptionLists());
        assertEquals(List.of(), report.problems());
        assertEquals(List.of(), report.skipped());
        TuningFiles.SharedList list = TuningFiles.load(folder.resolve("rules")).exceptionList("deployment-servers");
        assertEquals(2, list.items().size());
        assertEquals("Deployment servers", list.name());
    }

    @Test
    void whatDecidesAnExceptionRoundTripsToKibanasShape() throws IOException {
        importExport();
        List<ObjectNode> exported = TuningFiles.load(folder.resolve("rules"))
                .exceptionList("deployment-servers")
                .toKibanaExport();

        List<JsonNode> original = new ArrayList<>();
        for (String line : List.of(LIST, ITEM_LIST_ENTRY, ITEM_NESTED)) {
            original.add(JSON.readTree(line));
        }
        assertEquals(3, exported.size());
        for (String key : List.of("list_id", "name", "description", "type", "namespace_type", "os_types")) {
            assertEquals(original.get(0).get(key), exported.get(0).get(key), key);
        }
        for (int i = 1; i < 3; i++) {
            for (String key : List.of(
                    "item_id", "list_id", "name", "description", "type", "namespace_type", "entries", "os_types")) {
                assertEquals(original.get(i).get(key), exported.get(i).get(key), "item " + i + " " + key);
            }
        }
        assertEquals("2027-06-30T00:00:00Z", exported.get(1).path("expire_time").asText());
        assertEquals(
                "Agreed with the backup team",
                exported.get(1).path("comments").get(0).path("comment").asText());
    }

    @Test
    void kibanasBookkeepingIsListedNotSilentlyDropped() throws IOException {
        ImportReport report = importExport();

        assertTrue(
                report.dropped().containsKey("exception_list.created_by"),
                report.dropped().toString());
        assertTrue(
                report.dropped().containsKey("exception_list_item.tie_breaker_id"),
                report.dropped().toString());
        assertEquals(1, report.dropped().get("exception_list_item.comments.created_by"));
    }

    @Test
    void aRuleExportsExceptionsListIsResolvedToTheImportedList() throws IOException {
        importExport();
        Path rules = folder.resolve("rules");
        Files.writeString(
                rules.resolve("smb.yml"),
                """
                rule_id: r1
                name: SMB
                description: d
                type: eql
                index: [logs-*]
                severity: low
                risk_score: 21
                query: file where true
                exceptions_list:
                  - id: 8f0a
                    list_id: deployment-servers
                    type: detection
                    namespace_type: single
                """);
        RuleSet set = new RuleLoader().load(rules);
        assertEquals(List.of(), set.problems());
        Rule rule = set.rules().get(0);
        assertEquals(
                List.of("Backup agent push", "SCCM"),
                rule.tuning().exceptions().stream().map(i -> i.name()).toList());
    }

    @Test
    void anItemWithoutEntriesIsSkippedWithTheReason() throws IOException {
        Path export = folder.resolve("x.ndjson");
        Files.writeString(
                export,
                "{\"list_id\":\"l\",\"item_id\":\"i\",\"name\":\"Empty\",\"type\":\"simple\","
                        + "\"namespace_type\":\"single\",\"entries\":[]}\n");
        ImportReport report = new RuleImporter().importAll(List.of(export), folder.resolve("rules"));
        assertEquals(
                List.of(new ImportOutcome.Skipped(
                        "x.ndjson:1",
                        "Empty",
                        "an exception item without entries (it would except nothing), in list l")),
                report.skipped());
    }
}
