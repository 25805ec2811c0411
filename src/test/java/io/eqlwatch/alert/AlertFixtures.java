package io.eqlwatch.alert;

import io.eqlwatch.engine.Match;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.event.Event;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleTuning;
import io.eqlwatch.rule.Severity;
import io.eqlwatch.rule.Threat;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rules and Elastic Defend-like events shared by the alert tests. */
final class AlertFixtures {

    static final String RULE_UUID = "9f7c1c3e-2d1b-4e55-8a0f-3c1e2b7d6a10";
    static final String RULE_ID = "58bc134c-e8d2-4291-a552-b4b3e537c60b";
    static final String RULE_NAME = "Potential Lateral Tool Transfer via SMB Share";
    static final String QUERY = "sequence by host.id with maxspan=30s [network where true] [file where true]";
    static final String NETWORK_INDEX = ".ds-logs-endpoint.events.network-default-2024.05.01-000001";
    static final String FILE_INDEX = ".ds-logs-endpoint.events.file-default-2024.05.01-000001";

    private AlertFixtures() {}

    static Rule smbRule() {
        return rule(
                RULE_UUID,
                new SequenceQuery(List.of(new Expr.Field("host.id", false)), Duration.ofSeconds(30), List.of(), null),
                QUERY,
                100);
    }

    static Rule smbRule(int maxSignals) {
        return rule(
                RULE_UUID,
                new SequenceQuery(List.of(new Expr.Field("host.id", false)), Duration.ofSeconds(30), List.of(), null),
                QUERY,
                maxSignals);
    }

    static Rule eventRule() {
        return rule(
                "0b9a1f4e-1111-4c2d-9e8f-000000000001",
                new EventQuery("file", new Expr.Literal(true)),
                "file where true",
                100);
    }

    private static Rule rule(String uuid, io.eqlwatch.eql.ast.QueryBody body, String queryText, int maxSignals) {
        Threat threat = new Threat(
                "MITRE ATT&CK",
                new Threat.Tactic("TA0008", "Lateral Movement", "https://attack.mitre.org/tactics/TA0008/"),
                List.of(
                        new Threat.Technique(
                                "T1021",
                                "Remote Services",
                                "https://attack.mitre.org/techniques/T1021/",
                                List.of(new Threat.Subtechnique(
                                        "T1021.002",
                                        "SMB/Windows Admin Shares",
                                        "https://attack.mitre.org/techniques/T1021/002/"))),
                        new Threat.Technique(
                                "T1570",
                                "Lateral Tool Transfer",
                                "https://attack.mitre.org/techniques/T1570/",
                                List.of())));
        return new Rule(
                RULE_ID,
                uuid,
                RULE_NAME,
                "Executable written over SMB.",
                108,
                List.of("Elastic"),
                "Elastic License v2",
                List.of("logs-endpoint.events.file-*", "logs-endpoint.events.network-*"),
                queryText,
                new Query(body, List.of()),
                Severity.MEDIUM,
                47,
                Duration.ofMinutes(5),
                Duration.ofMinutes(9),
                maxSignals,
                List.of("Domain: Endpoint", "Tactic: Lateral Movement"),
                List.of(threat),
                List.of("https://attack.mitre.org/techniques/T1570/"),
                List.of(),
                "Investigate the sender.",
                null,
                null,
                null,
                true,
                null,
                RuleTuning.NONE,
                List.of());
    }

    /** The inbound SMB connection accepted by System, stored with nested objects. */
    static Event networkEvent(String id, String hostId, String hostName, Instant at) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("@timestamp", at.toString());
        source.put("agent", Map.of("id", "agent-" + hostId, "type", "endpoint"));
        source.put("host", Map.of("id", hostId, "name", hostName, "os", Map.of("type", "windows")));
        source.put(
                "event",
                map(
                        "category",
                        List.of("network"),
                        "type",
                        List.of("start"),
                        "action",
                        "connection_accepted",
                        "kind",
                        "event",
                        "module",
                        "endpoint",
                        "dataset",
                        "endpoint.events.network"));
        source.put("process", map("pid", 4, "name", "System", "entity_id", "ent-system-" + hostId));
        source.put("source", map("ip", "10.0.0.5", "port", 50123));
        source.put("destination", map("ip", "10.0.0.9", "port", 445));
        source.put("network", map("direction", "incoming", "transport", "tcp"));
        source.put("data_stream", map("type", "logs", "dataset", "endpoint.events.network"));
        source.put("message", "Endpoint network event");
        return new Event(id, NETWORK_INDEX, at, null, source);
    }

    /** The executable System wrote, stored with dotted keys mixed with objects, pid as a long. */
    static Event fileEvent(String id, String hostId, String hostName, Instant at) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("@timestamp", at.toString());
        source.put("agent.id", "agent-" + hostId);
        source.put("agent.type", "endpoint");
        source.put("host.id", hostId);
        source.put("host", Map.of("name", hostName, "os", Map.of("type", "windows")));
        source.put("event.category", "file");
        source.put("event.type", List.of("creation"));
        source.put("event.action", "creation");
        source.put("event.kind", "event");
        source.put("event.module", "endpoint");
        source.put("event.dataset", "endpoint.events.file");
        source.put("process", map("pid", 4L, "name", "System", "entity_id", "ent-system-" + hostId));
        source.put(
                "file",
                map(
                        "path",
                        "C:\\Windows\\Temp\\psexesvc.exe",
                        "name",
                        "psexesvc.exe",
                        "extension",
                        "exe",
                        "Ext",
                        Map.of("header_bytes", "4d5a90000300")));
        source.put("user", map("name", "SYSTEM", "domain", "NT AUTHORITY"));
        return new Event(id, FILE_INDEX, at, null, source);
    }

    static Match smbMatch(String suffix, String hostId, String hostName, Instant networkAt) {
        Event network = networkEvent("net-" + suffix, hostId, hostName, networkAt);
        Event file = fileEvent(
                "file-" + suffix, hostId, hostName, networkAt.plusSeconds(12).plusMillis(345));
        return new Match(List.of(network, file), List.of(hostId, "ent-system-" + hostId));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
