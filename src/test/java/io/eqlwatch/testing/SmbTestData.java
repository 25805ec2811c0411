package io.eqlwatch.testing;

import io.eqlwatch.eql.EqlParser;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleTuning;
import io.eqlwatch.rule.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small SMB-transfer rule and its events for the run loop's tests on in-memory ports: an inbound
 * connection accepted by System (pid 4), then a file System writes on the same host within 30 s.
 */
public final class SmbTestData {

    public static final String NETWORK_INDEX = "logs-endpoint.events.network-default";
    public static final String FILE_INDEX = "logs-endpoint.events.file-default";
    public static final String QUERY =
            "sequence by host.id with maxspan=30s" + " [network where process.pid == 4] [file where process.pid == 4]";

    public static final FieldTypes TYPES = new FieldTypes(Map.of(
            "event.category",
            FieldType.KEYWORD,
            "host.id",
            FieldType.KEYWORD,
            "process.pid",
            FieldType.LONG,
            "@timestamp",
            FieldType.DATE,
            "event.ingested",
            FieldType.DATE));

    private SmbTestData() {}

    /** The rule, every 5 minutes over the last 9, at most {@code maxSignals} alerts per execution. */
    public static Rule rule(int maxSignals) {
        return rule(QUERY, maxSignals, null);
    }

    public static Rule rule(String eql, int maxSignals, String timestampOverride) {
        return new Rule(
                "smb-rule",
                null,
                "SMB transfer",
                "Executable written over SMB.",
                1,
                List.of("tests"),
                "Elastic License v2",
                List.of("logs-endpoint.events.network-*", "logs-endpoint.events.file-*"),
                eql,
                EqlParser.parse(eql),
                Severity.MEDIUM,
                47,
                Duration.ofMinutes(5),
                Duration.ofMinutes(9),
                maxSignals,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null,
                timestampOverride,
                null,
                null,
                true,
                null,
                RuleTuning.NONE,
                List.of());
    }

    /** One transfer on the host: the connection at {@code at}, the file 12 s later. */
    public static List<Event> transfer(String host, Instant at) {
        return List.of(
                event("net-" + host + "-" + at.toEpochMilli(), NETWORK_INDEX, "network", host, at, at),
                event(
                        "file-" + host + "-" + at.toEpochMilli(),
                        FILE_INDEX,
                        "file",
                        host,
                        at.plusSeconds(12),
                        at.plusSeconds(12)));
    }

    /** {@code count} transfers on distinct hosts, ten seconds apart from {@code first}. */
    public static List<Event> transfers(int count, Instant first) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.addAll(transfer(String.format("host-%04d", i), first.plusSeconds(10L * i)));
        }
        return out;
    }

    /** An event of System (pid 4) with an {@code event.ingested} time that may lie after its timestamp. */
    public static Event event(String id, String index, String category, String host, Instant at, Instant ingested) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("@timestamp", at.toString());
        source.put("event", Map.of("category", category, "ingested", ingested.toString()));
        source.put("host", Map.of("id", host, "name", host.toUpperCase()));
        source.put("process", Map.of("pid", 4, "name", "System"));
        return new Event(id, index, at, null, source);
    }
}
