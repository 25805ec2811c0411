package io.eqlwatch.notify;

import io.eqlwatch.alert.AlertBuilder;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.engine.Match;
import io.eqlwatch.event.Event;
import io.eqlwatch.rule.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A made-up alert of a rule for {@code notify test}: a two-event sequence on the host
 * {@code eqlwatch-test}, shaped like the real thing so that templates render every part, and
 * marked as a test in its reason's host name so nobody mistakes it for a detection.
 */
public final class SampleAlert {

    private SampleAlert() {}

    public static AlertGroup of(Rule rule, Instant now) {
        List<Event> events = new ArrayList<>();
        Instant first = now.minusSeconds(30);
        events.add(new Event(
                "eqlwatch-test-1",
                "eqlwatch-test",
                first,
                null,
                event(
                        first,
                        "network",
                        "connection_accepted",
                        Map.of(
                                "source",
                                Map.of("ip", "192.0.2.10", "port", 50123),
                                "destination",
                                Map.of("ip", "192.0.2.20", "port", 445)))));
        Instant second = now.minusSeconds(25);
        events.add(new Event(
                "eqlwatch-test-2",
                "eqlwatch-test",
                second,
                null,
                event(
                        second,
                        "file",
                        "creation",
                        Map.of(
                                "file",
                                Map.of("path", "C:\\Windows\\Temp\\eqlwatch-test.exe", "name", "eqlwatch-test.exe"),
                                "user",
                                Map.of("name", "SYSTEM")))));
        // Two events make a sequence's shell; an event query's alert is the first event's.
        List<Event> matched =
                rule.query().body() instanceof io.eqlwatch.eql.ast.EventQuery ? events.subList(0, 1) : events;
        return new AlertBuilder(rule, AlertBuilder.DEFAULT_SPACE)
                .build(new Match(matched, List.of("eqlwatch-test")), "eqlwatch-notify-test", now);
    }

    private static Map<String, Object> event(Instant at, String category, String action, Map<String, Object> extra) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("@timestamp", at.toString());
        source.put("host", Map.of("id", "eqlwatch-test", "name", "eqlwatch-test"));
        source.put("event", Map.of("category", List.of(category), "action", action));
        source.put("process", Map.of("pid", 4, "name", "System"));
        source.putAll(extra);
        return source;
    }
}
