package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eqlwatch query} over event files, with no Elasticsearch anywhere. */
class QueryCommandTest {

    private static final String SMB_SEQUENCE = "sequence by host.id with maxspan=30s\n"
            + "  [network where destination.port == 445] by process.entity_id\n"
            + "  [file where file.extension : \"exe\"] by process.entity_id";

    // Two hosts: h1 completes the sequence (network then file 5 s later), h2 has only the network event.
    private static final String NET_H1 =
            "{\"@timestamp\":\"2024-05-01T10:00:00Z\",\"event\":{\"category\":\"network\"},"
                    + "\"host\":{\"id\":\"h1\",\"name\":\"ws-1\"},\"process\":{\"entity_id\":\"p1\",\"name\":\"System\"},"
                    + "\"source\":{\"ip\":\"10.0.0.5\"},\"destination\":{\"ip\":\"10.0.0.9\",\"port\":445}}";
    // epoch millis 1714557605000 = 2024-05-01T10:00:05Z
    private static final String FILE_H1 = "{\"@timestamp\":1714557605000,\"event\":{\"category\":\"file\"},"
            + "\"host\":{\"id\":\"h1\",\"name\":\"ws-1\"},\"process\":{\"entity_id\":\"p1\"},"
            + "\"file\":{\"path\":\"C:\\\\Windows\\\\Temp\\\\x.exe\",\"extension\":\"exe\"}}";
    private static final String NET_H2 = "{\"@timestamp\":\"1714557601000\",\"event\":{\"category\":\"network\"},"
            + "\"host\":{\"id\":\"h2\"},\"process\":{\"entity_id\":\"p9\"},\"destination\":{\"port\":445}}";

    @TempDir
    Path dir;

    private Path file(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void aSequenceOverAnNdjsonFilePrintsOneLinePerMatchWithJoinKeys() throws IOException {
        Path events = file("events.ndjson", NET_H1, NET_H2, FILE_H1);

        CommandRun run =
                CommandRun.of("query", "--eql", SMB_SEQUENCE, "--events", events.toString(), "--format", "ndjson");

        assertEquals(0, run.exitCode, run.err);
        assertEquals(
                List.of("{\"events\":[" + NET_H1 + "," + FILE_H1 + "],\"join_keys\":[\"h1\",\"p1\"]}"),
                run.out.lines().toList());
        assertEquals("1 match(es) over 3 event(s) from " + events + "\n", run.err);
    }

    @Test
    void epochMillisTimestampsCompareWithIsoConstants() throws IOException {
        // Issue 9 cause 10. In Elasticsearch @timestamp is a date, so 1504126053000 and "2017-08-30T20:47:33Z"
        // are one instant and the equality holds; the file's events must answer the same.
        Path events = file(
                "events.ndjson",
                "{\"@timestamp\":1504126053000,\"event\":{\"category\":\"process\"},\"id\":1}",
                "{\"@timestamp\":\"1504126054000\",\"event\":{\"category\":\"process\"},\"id\":2}",
                "{\"@timestamp\":\"2017-08-30T20:47:33Z\",\"event\":{\"category\":\"process\"},\"id\":3}");

        CommandRun run = CommandRun.of(
                "query",
                "--eql",
                "process where @timestamp == \"2017-08-30T20:47:33Z\"",
                "--events",
                events.toString(),
                "--format",
                "ndjson");

        assertEquals(0, run.exitCode, run.err);
        assertEquals(2, run.out.lines().count(), run.out);
        assertTrue(run.out.contains("\"id\":1") && run.out.contains("\"id\":3"), run.out);
    }

    @Test
    void aJsonArrayFileGivesTheSameMatches() throws IOException {
        Path events = dir.resolve("events.json");
        Files.writeString(events, "[\n  " + NET_H1 + ",\n  " + NET_H2 + ",\n  " + FILE_H1 + "\n]\n");

        CommandRun run =
                CommandRun.of("query", "--eql", SMB_SEQUENCE, "--events", events.toString(), "--format", "ndjson");

        assertEquals(0, run.exitCode, run.err);
        assertEquals(
                List.of("{\"events\":[" + NET_H1 + "," + FILE_H1 + "],\"join_keys\":[\"h1\",\"p1\"]}"),
                run.out.lines().toList());
    }

    @Test
    void eventQueryMatchesComeInTimestampOrderWhateverTheTimestampForm() throws IOException {
        // file order is not time order: ISO, epoch millis as a number and as a string are compared as instants
        Path events = file("events.ndjson", FILE_H1, NET_H2, NET_H1);

        CommandRun run =
                CommandRun.of("query", "--eql", "any where true", "--events", events.toString(), "--format", "ndjson");

        assertEquals(
                List.of(
                        "{\"events\":[" + NET_H1 + "]}",
                        "{\"events\":[" + NET_H2 + "]}",
                        "{\"events\":[" + FILE_H1 + "]}"),
                run.out.lines().toList());
    }

    @Test
    void idAndIndexMetadataAreNotPartOfTheSource() throws IOException {
        Path events = file(
                "events.ndjson",
                "{\"_id\":\"doc-1\",\"_index\":\"logs-a\",\"@timestamp\":\"2024-05-01T10:00:00Z\",\"event\":{\"category\":\"process\"}}",
                "{\"_id\":\"doc-2\",\"_index\":\"logs-a\",\"_source\":{\"@timestamp\":\"2024-05-01T10:00:01Z\",\"event\":{\"category\":\"process\"}}}");

        CommandRun run = CommandRun.of(
                "query", "--eql", "process where true", "--events", events.toString(), "--format", "ndjson");

        assertEquals(
                List.of(
                        "{\"events\":[{\"@timestamp\":\"2024-05-01T10:00:00Z\",\"event\":{\"category\":\"process\"}}]}",
                        "{\"events\":[{\"@timestamp\":\"2024-05-01T10:00:01Z\",\"event\":{\"category\":\"process\"}}]}"),
                run.out.lines().toList());
    }

    @Test
    void unusableLinesAreSkippedAndReportedWithTheirLineNumbers() throws IOException {
        Path events = file(
                "events.ndjson",
                NET_H1,
                "this is not json",
                "",
                "[1, 2]",
                "{\"event\":{\"category\":\"file\"}}",
                "{\"@timestamp\":\"yesterday\"}",
                FILE_H1);

        CommandRun run =
                CommandRun.of("query", "--eql", SMB_SEQUENCE, "--events", events.toString(), "--format", "ndjson");

        assertEquals(0, run.exitCode);
        assertEquals(1, run.out.lines().toList().size());
        List<String> err = run.err.lines().toList();
        assertTrue(
                err.get(0).startsWith("eqlwatch: skipped " + events + ":2: not valid JSON: Unrecognized token 'this'"),
                err.get(0));
        assertEquals(
                List.of(
                        "eqlwatch: skipped " + events + ":4: expected an event (a JSON object), found array",
                        "eqlwatch: skipped " + events + ":5: no @timestamp (the event's time; see --timestamp-field)",
                        "eqlwatch: skipped " + events
                                + ":6: @timestamp 'yesterday' is not a timestamp (expected ISO-8601 or epoch milliseconds)",
                        "1 match(es) over 2 event(s) from " + events + "; 4 unusable event(s) skipped"),
                err.subList(1, 5));
    }

    @Test
    void strictStopsAtTheFirstUnusableLine() throws IOException {
        Path events = file("events.ndjson", NET_H1, "{\"event\":{}}", FILE_H1);

        CommandRun run = CommandRun.of("query", "--eql", "any where true", "--events", events.toString(), "--strict");

        assertEquals(2, run.exitCode);
        assertEquals("", run.out);
        assertEquals(
                "eqlwatch: " + events + ":2: no @timestamp (the event's time; see --timestamp-field) (--strict)\n",
                run.err);
    }

    @Test
    void aBrokenJsonArrayFailsWithItsPosition() throws IOException {
        Path events = dir.resolve("events.json");
        Files.writeString(events, "[\n" + NET_H1 + ",\n{\"@timestamp\": }\n]");

        CommandRun run = CommandRun.of("query", "--eql", "any where true", "--events", events.toString());

        assertEquals(2, run.exitCode);
        assertTrue(run.err.startsWith("eqlwatch: " + events + ":3:16: not valid JSON: "), run.err);
    }

    @Test
    void aSyntaxErrorPrintsLineColumnReasonAndACaret() throws IOException {
        Path events = file("events.ndjson", NET_H1);

        CommandRun run = CommandRun.of(
                "query",
                "--eql",
                "sequence by host.id\n  [network where port = 445]\n  [file where true]",
                "--events",
                events.toString());

        assertEquals(2, run.exitCode);
        assertEquals("", run.out);
        List<String> err = run.err.lines().toList();
        assertTrue(err.get(0).startsWith("eqlwatch: 2:23: "), err.get(0));
        assertEquals("    [network where port = 445]", err.get(1));
        assertEquals("                        ^", err.get(2));
    }

    @Test
    void theQueryCanComeFromAFile() throws IOException {
        Path events = file("events.ndjson", NET_H1, NET_H2, FILE_H1);
        Path query = dir.resolve("smb.eql");
        Files.writeString(query, SMB_SEQUENCE);

        CommandRun run =
                CommandRun.of("query", "--eql", "@" + query, "--events", events.toString(), "--format", "ndjson");

        assertEquals(0, run.exitCode, run.err);
        assertEquals(1, run.out.lines().toList().size());
    }

    @Test
    void theTableShowsEachEventOfAMatchAndASummary() throws IOException {
        Path events = file("events.ndjson", NET_H1, NET_H2, FILE_H1);

        CommandRun run = CommandRun.of("query", "--eql", SMB_SEQUENCE, "--events", events.toString());

        assertEquals(0, run.exitCode, run.err);
        assertEquals(
                List.of(
                        "MATCH  JOIN KEYS  @TIMESTAMP            EVENT.CATEGORY  HOST.NAME  USER.NAME  PROCESS.NAME  DETAIL",
                        "1      h1, p1     2024-05-01T10:00:00Z  network         ws-1       -          System        10.0.0.5 -> 10.0.0.9:445",
                        "                  2024-05-01T10:00:05Z  file            ws-1       -          -             C:\\Windows\\Temp\\x.exe",
                        "",
                        "1 match(es) over 3 event(s) from " + events),
                run.out.lines().toList());
    }

    @Test
    void categoryTimestampAndTiebreakerFieldsCanBeChosen() throws IOException {
        Path events = file(
                "events.ndjson",
                "{\"ts\":\"2024-05-01T10:00:00Z\",\"seq\":2,\"kind\":\"b\"}",
                "{\"ts\":\"2024-05-01T10:00:00Z\",\"seq\":1,\"kind\":\"a\"}");

        CommandRun run = CommandRun.of(
                "query",
                "--eql",
                "sequence [a where true] [b where true]",
                "--events",
                events.toString(),
                "--event-category-field",
                "kind",
                "--timestamp-field",
                "ts",
                "--tiebreaker-field",
                "seq",
                "--format",
                "ndjson");

        assertEquals(
                List.of("{\"events\":[{\"ts\":\"2024-05-01T10:00:00Z\",\"seq\":1,\"kind\":\"a\"},"
                        + "{\"ts\":\"2024-05-01T10:00:00Z\",\"seq\":2,\"kind\":\"b\"}],\"join_keys\":[]}"),
                run.out.lines().toList());
    }

    @Test
    void aMissingEventStageIsANullAtItsPlace() throws IOException {
        // h1: network then file, no deletion follows; the sequence with a missing deletion stage matches
        Path events = file("events.ndjson", NET_H1, FILE_H1);

        CommandRun run = CommandRun.of(
                "query",
                "--eql",
                "sequence by host.id with maxspan=1m\n"
                        + "  [network where true]\n  [file where true]\n  ![process where event.type == \"end\"]",
                "--events",
                events.toString(),
                "--format",
                "ndjson");

        assertEquals(0, run.exitCode, run.err);
        assertEquals(
                List.of("{\"events\":[" + NET_H1 + "," + FILE_H1 + ",null],\"join_keys\":[\"h1\"]}"),
                run.out.lines().toList());
    }

    @Test
    void eitherAFileOrAnIndexMustBeGiven() {
        CommandRun run = CommandRun.of("query", "--eql", "any where true");

        assertEquals(2, run.exitCode);
        assertEquals(
                "eqlwatch: give either --events FILE (query a file) or --index INDEX (query Elasticsearch)\n", run.err);
    }

    @Test
    void aMissingFileIsBadInput() {
        CommandRun run = CommandRun.of(
                "query",
                "--eql",
                "any where true",
                "--events",
                dir.resolve("nope.ndjson").toString());

        assertEquals(2, run.exitCode);
        assertEquals("eqlwatch: " + dir.resolve("nope.ndjson") + ": no such file\n", run.err);
    }
}
