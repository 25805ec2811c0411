package io.eqlwatch.notify;

import io.eqlwatch.alert.AlertBuilder;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.engine.Match;
import io.eqlwatch.event.Event;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shipped SMB rule with actions added, and alert groups of SMB tool transfers. */
final class NotifyFixtures {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private NotifyFixtures() {}

    /** The SMB rule from {@code rules/} with this {@code actions:} YAML appended. */
    static Rule smbRule(String actionsYaml) {
        try {
            String text = Files.readString(Path.of("rules/lateral_tool_transfer_smb.yml"));
            return new RuleLoader().parse(text + "\n" + actionsYaml, Path.of("rules/smb-with-actions.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AlertGroup transfer(Rule rule, String suffix, String hostName, Instant at) {
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("@timestamp", at.toString());
        network.put("host", Map.of("id", "id-" + hostName, "name", hostName));
        network.put("event", Map.of("category", List.of("network"), "action", "connection_accepted"));
        network.put("process", Map.of("pid", 4, "name", "System"));
        network.put("source", Map.of("ip", "10.0.0.5", "port", 50123));
        network.put("destination", Map.of("ip", "10.0.0.9", "port", 445));
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("@timestamp", at.plusSeconds(5).toString());
        file.put("host", Map.of("id", "id-" + hostName, "name", hostName));
        file.put("event", Map.of("category", List.of("file"), "action", "creation"));
        file.put("process", Map.of("pid", 4, "name", "System"));
        file.put(
                "file",
                Map.of("path", "C:\\Windows\\Temp\\tool-" + suffix + ".exe", "name", "tool-" + suffix + ".exe"));
        file.put("user", Map.of("name", "SYSTEM"));
        Match match = new Match(
                List.of(
                        new Event("net-" + suffix, "logs-endpoint.events.network-default", at, null, network),
                        new Event(
                                "file-" + suffix, "logs-endpoint.events.file-default", at.plusSeconds(5), null, file)),
                List.of("id-" + hostName));
        return new AlertBuilder(rule, "default").build(match, "exec-1", at.plusSeconds(60));
    }
}
