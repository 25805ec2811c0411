package io.eqlwatch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eqlwatch.eql.EqlParser;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matcher's features reached from query text, through the parser and the real evaluator. */
class ParsedQueriesTest {

    private static Event e(String id, long second, Object... kv) {
        LinkedHashMap<String, Object> source = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            source.put((String) kv[i], kv[i + 1]);
        }
        return new Event(id, "i", Instant.parse("2024-05-01T10:00:00Z").plusSeconds(second), null, source);
    }

    private static List<String> run(String eql, Event... events) {
        List<String> out = new ArrayList<>();
        for (Match match : QueryRunner.run(EqlParser.parse(eql), List.of(events), new Evaluator())) {
            List<String> ids = new ArrayList<>();
            for (Event event : match.stageEvents()) {
                ids.add(event == null ? "-" : event.id());
            }
            out.add(String.join(",", ids));
        }
        return out;
    }

    @Test
    void untilRunsAndMissingFromText() {
        String eql =
                """
                sequence by user with maxspan=1m
                  [process where action == "logon"] with runs=2
                  ![process where action == "mfa"]
                  [process where action == "admin"]
                until [process where action == "logoff"]
                """;
        assertEquals(
                List.of("a1,a2,-,a3"),
                run(
                        eql,
                        e("a1", 0, "event.category", "process", "action", "logon", "user", "u"),
                        e("a2", 1, "event.category", "process", "action", "logon", "user", "u"),
                        e("a3", 2, "event.category", "process", "action", "admin", "user", "u")));
        assertEquals(
                List.of(),
                run(
                        eql,
                        e("a1", 0, "event.category", "process", "action", "logon", "user", "u"),
                        e("a2", 1, "event.category", "process", "action", "logon", "user", "u"),
                        e("m", 2, "event.category", "process", "action", "mfa", "user", "u"),
                        e("a3", 3, "event.category", "process", "action", "admin", "user", "u")));
        assertEquals(
                List.of(),
                run(
                        eql,
                        e("a1", 0, "event.category", "process", "action", "logon", "user", "u"),
                        e("a2", 1, "event.category", "process", "action", "logon", "user", "u"),
                        e("off", 2, "event.category", "process", "action", "logoff", "user", "u"),
                        e("a3", 3, "event.category", "process", "action", "admin", "user", "u")));
    }

    @Test
    void sampleAndTailFromText() {
        assertEquals(
                List.of("p,f"),
                run(
                        "sample by host [process where true] [file where true]",
                        e("f", 0, "event.category", "file", "host", "h"),
                        e("p", 5, "event.category", "process", "host", "h")));
        assertEquals(
                List.of("2", "3"),
                run(
                        "process where true | tail 2",
                        e("1", 0, "event.category", "process"),
                        e("2", 1, "event.category", "process"),
                        e("3", 2, "event.category", "process")));
    }

    @Test
    void optionalJoinKeyFromText() {
        assertEquals(
                List.of("a,b"),
                run(
                        "sequence by ?user.name [process where true] [file where true]",
                        e("a", 0, "event.category", "process"),
                        e("b", 1, "event.category", "file")));
    }
}
