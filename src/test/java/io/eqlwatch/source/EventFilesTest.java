package io.eqlwatch.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eqlwatch.event.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFilesTest {

    @TempDir
    Path dir;

    @Test
    void idsAndIndicesComeFromTheEventOrFromLineAndFileName() throws IOException {
        Path file = dir.resolve("hunt.ndjson");
        Files.writeString(
                file,
                "\n{\"@timestamp\":\"2024-05-01T10:00:00.5+02:00\"}\n"
                        + "{\"_id\":\"abc\",\"_index\":\"logs-x\",\"@timestamp\":1714557600000}\n");

        EventFiles.Contents contents = new EventFiles("@timestamp", null).read(file);

        List<Event> events = contents.events();
        assertEquals("2", events.get(0).id());
        assertEquals("hunt.ndjson", events.get(0).index());
        assertEquals(Instant.parse("2024-05-01T08:00:00.5Z"), events.get(0).timestamp());
        assertEquals("abc", events.get(1).id());
        assertEquals("logs-x", events.get(1).index());
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), events.get(1).timestamp());
        assertEquals(List.of(), contents.malformed());
    }

    @Test
    void arrayElementsAreNumberedByTheLineTheyStartOn() throws IOException {
        Path file = dir.resolve("hunt.json");
        Files.writeString(
                file, "[\n  {\"@timestamp\": \"2024-05-01T10:00:00Z\", \"n\": 1},\n  42,\n  {\n    \"n\": 3\n  }\n]\n");

        EventFiles.Contents contents = new EventFiles("@timestamp", null).read(file);

        assertEquals(List.of("2"), contents.events().stream().map(Event::id).toList());
        assertEquals(
                List.of(
                        new EventFiles.Malformed(file, 3, "expected an event (a JSON object), found number"),
                        new EventFiles.Malformed(file, 4, "no @timestamp (the event's time; see --timestamp-field)")),
                contents.malformed());
    }

    @Test
    void theTiebreakerIsReadAsANumberOrText() throws IOException {
        Path file = dir.resolve("hunt.ndjson");
        Files.writeString(
                file,
                "{\"@timestamp\":0,\"event\":{\"sequence\":7}}\n{\"@timestamp\":0,\"event\":{\"sequence\":\"x\"}}\n"
                        + "{\"@timestamp\":0}\n");

        List<Event> events =
                new EventFiles("@timestamp", "event.sequence").read(file).events();

        assertEquals(7L, events.get(0).tiebreaker());
        assertEquals("x", events.get(1).tiebreaker());
        assertEquals(null, events.get(2).tiebreaker());
    }

    @Test
    void contentAfterTheArrayIsAnError() throws IOException {
        Path file = dir.resolve("hunt.json");
        Files.writeString(file, "[]\n{}\n");

        EventFileException e =
                assertThrows(EventFileException.class, () -> new EventFiles("@timestamp", null).read(file));

        assertEquals(file + ":2:1: unexpected content after the JSON array of events", e.getMessage());
    }
}
