package io.eqlwatch.rule.importer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.rule.DurationText;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts the notification side of a Kibana export: the rules' {@code actions} (with their
 * {@code frequency}: {@code summary}, {@code notifyWhen}, {@code throttle}) become {@code actions:}
 * entries, and the action connectors Kibana exports beside them ({@code type: action} objects of
 * {@code .webhook}, {@code .slack}, {@code .teams}, {@code .pagerduty}, {@code .email}) become a
 * connectors file. Kibana exports connectors without their secrets, so each secret becomes an
 * environment variable the user is told to set; what has no eqlwatch meaning is listed.
 */
public final class KibanaActionImport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of(".webhook", ".slack", ".teams", ".pagerduty", ".email");

    /**
     * What the export's notifications became.
     *
     * @param connectorsYaml the connectors file to write; empty when the export has no connector
     * @param actionsByRule  each rule's {@code actions:} block (YAML), by rule_id
     * @param missingSecrets one line per environment variable the user must set
     * @param unmapped       one line per connector, action or setting that could not be converted
     */
    public record Result(
            String connectorsYaml,
            Map<String, String> actionsByRule,
            List<String> missingSecrets,
            List<String> unmapped) {
        public Result {
            actionsByRule = Map.copyOf(actionsByRule);
            missingSecrets = List.copyOf(missingSecrets);
            unmapped = List.copyOf(unmapped);
        }

        public boolean isEmpty() {
            return connectorsYaml.isEmpty() && actionsByRule.isEmpty() && unmapped.isEmpty();
        }
    }

    private record Connector(String id, String name, String type, JsonNode config) {}

    private record ActionRef(
            String ruleId,
            String ruleName,
            String connectorId,
            String type,
            JsonNode params,
            JsonNode frequency,
            String legacyThrottle,
            String source) {}

    public Result read(List<Path> exports) {
        Map<String, Connector> connectors = new LinkedHashMap<>();
        List<ActionRef> actions = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        for (Path file : exports) {
            readFile(file, connectors, actions, unmapped);
        }
        Map<String, String> names = new LinkedHashMap<>();
        Set<String> used = new LinkedHashSet<>();
        for (Connector connector : connectors.values()) {
            String name = uniqueName(slug(connector.name()), used);
            names.put(connector.id(), name);
        }
        Map<String, List<String>> recipients = new LinkedHashMap<>();
        Map<String, StringBuilder> blocks = new LinkedHashMap<>();
        for (ActionRef action : actions) {
            String name = names.get(action.connectorId());
            if (name == null) {
                unmapped.add(action.source() + ": rule '" + action.ruleName() + "': its " + action.type()
                        + " action uses connector " + action.connectorId()
                        + ", which the export does not include; export the rule with its connectors");
                continue;
            }
            if (!TYPES.contains(action.type())) {
                continue; // reported with its connector
            }
            String entry = actionEntry(action, name, recipients, unmapped);
            if (entry != null) {
                blocks.computeIfAbsent(action.ruleId(), k -> new StringBuilder("actions:\n"))
                        .append(entry);
            }
        }
        Map<String, String> byRule = new LinkedHashMap<>();
        blocks.forEach((ruleId, block) -> byRule.put(ruleId, block.toString()));
        List<String> secrets = new ArrayList<>();
        StringBuilder yaml = new StringBuilder();
        if (!connectors.isEmpty()) {
            yaml.append("# Connectors imported from a Kibana export. Kibana exports no secrets: set the environment\n")
                    .append("# variables named below (or change them to {file: PATH}) before starting eqlwatch.\n")
                    .append("# kibana_url: https://kibana.example.com:5601   # for the alert links in messages\n")
                    .append("connectors:\n");
            for (Connector connector : connectors.values()) {
                if (!TYPES.contains(connector.type())) {
                    unmapped.add("connector '" + connector.name() + "' of type " + connector.type()
                            + ": eqlwatch sends to .webhook, .slack, .teams, .pagerduty and .email connectors only");
                    continue;
                }
                String name = names.get(connector.id());
                yaml.append(
                        connectorYaml(connector, name, recipients.getOrDefault(name, List.of()), secrets, unmapped));
            }
        }
        return new Result(yaml.toString(), byRule, secrets, unmapped);
    }

    private void readFile(
            Path file, Map<String, Connector> connectors, List<ActionRef> actions, List<String> unmapped) {
        String fileName = file.getFileName().toString();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JacksonException e) {
                    continue; // the rule import reports unreadable lines
                }
                String source = fileName + ":" + number;
                if ("action".equals(node.path("type").asText()) && node.has("attributes")) {
                    JsonNode attributes = node.path("attributes");
                    connectors.put(
                            node.path("id").asText(),
                            new Connector(
                                    node.path("id").asText(),
                                    attributes
                                            .path("name")
                                            .asText(node.path("id").asText()),
                                    attributes.path("actionTypeId").asText(""),
                                    attributes.path("config")));
                } else if (node.has("attributes")
                        && "alert".equals(node.path("type").asText())) {
                    savedObjectActions(node, source, actions);
                } else if (node.has("rule_id") && node.path("actions").isArray()) {
                    for (JsonNode action : node.path("actions")) {
                        actions.add(new ActionRef(
                                node.path("rule_id").asText(),
                                node.path("name").asText(),
                                action.path("id").asText(),
                                action.path("action_type_id").asText(""),
                                action.path("params"),
                                action.path("frequency"),
                                text(node, "throttle"),
                                source));
                    }
                }
            }
        } catch (IOException e) {
            unmapped.add(fileName + ": cannot read: " + e.getMessage());
        }
    }

    /** A saved object's actions name their connector through {@code actionRef} and the object's references. */
    private static void savedObjectActions(JsonNode node, String source, List<ActionRef> actions) {
        JsonNode attributes = node.path("attributes");
        Map<String, String> references = new LinkedHashMap<>();
        for (JsonNode reference : node.path("references")) {
            references.put(reference.path("name").asText(), reference.path("id").asText());
        }
        String ruleId = attributes.path("params").path("ruleId").asText(null);
        for (JsonNode action : attributes.path("actions")) {
            String ref = action.path("actionRef").asText("");
            actions.add(new ActionRef(
                    ruleId,
                    attributes.path("name").asText(),
                    references.getOrDefault(ref, ref),
                    action.path("actionTypeId").asText(""),
                    action.path("params"),
                    action.path("frequency"),
                    text(attributes, "throttle"),
                    source));
        }
    }

    private static String actionEntry(
            ActionRef action, String connector, Map<String, List<String>> recipients, List<String> unmapped) {
        StringBuilder out =
                new StringBuilder("  - connector: ").append(connector).append('\n');
        JsonNode frequency = action.frequency();
        boolean summary;
        String period;
        String notifyWhen;
        if (frequency != null && frequency.isObject()) {
            summary = frequency.path("summary").asBoolean(false);
            notifyWhen = frequency.path("notifyWhen").asText("onActiveAlert");
            period = frequency.hasNonNull("throttle")
                    ? frequency.path("throttle").asText()
                    : null;
        } else {
            // The legacy rule-level throttle: "rule" (every run), "no_actions", or a period such as "1h".
            summary = true;
            String legacy = action.legacyThrottle();
            notifyWhen = legacy == null || legacy.equals("rule") || legacy.equals("no_actions")
                    ? "onActiveAlert"
                    : "onThrottleInterval";
            period = notifyWhen.equals("onThrottleInterval") ? legacy : null;
        }
        out.append("    frequency: ").append(summary ? "summary" : "per_alert").append('\n');
        if (notifyWhen.equals("onThrottleInterval") && period != null) {
            String duration = duration(period);
            if (duration == null) {
                unmapped.add(action.source() + ": rule '" + action.ruleName() + "': throttle '" + period
                        + "' is not a whole number of s, m, h or d; left out");
            } else {
                out.append(summary ? "    interval: " : "    throttle: ")
                        .append(duration)
                        .append('\n');
            }
        } else if (notifyWhen.equals("onActionGroupChange")) {
            unmapped.add(action.source() + ": rule '" + action.ruleName() + "': notifyWhen onActionGroupChange is sent"
                    + " as per_alert (eqlwatch notifies once per new alert)");
        }
        JsonNode params = action.params();
        switch (action.type()) {
            case ".slack", ".teams" -> template(out, "message", params.path("message"));
            case ".webhook" -> template(out, "body", params.path("body"));
            case ".pagerduty" -> {
                template(out, "summary", params.path("summary"));
                for (String field : List.of("severity", "eventAction", "dedupKey", "component", "group", "class")) {
                    if (params.hasNonNull(field)) {
                        unmapped.add(action.source() + ": rule '" + action.ruleName() + "': PagerDuty " + field
                                + " is set by eqlwatch (severity from the rule, dedup key the alert id); left out");
                    }
                }
            }
            case ".email" -> {
                template(out, "subject", params.path("subject"));
                template(out, "message", params.path("message"));
                List<String> to = recipients.computeIfAbsent(connector, k -> new ArrayList<>());
                for (String list : List.of("to", "cc", "bcc")) {
                    for (JsonNode address : params.path(list)) {
                        if (!to.contains(address.asText())) {
                            to.add(address.asText());
                        }
                    }
                }
            }
            default -> {}
        }
        return out.toString();
    }

    private static void template(StringBuilder out, String key, JsonNode value) {
        if (value != null && value.isTextual() && !value.asText().isBlank()) {
            out.append("    ")
                    .append(key)
                    .append(": ")
                    .append(RuleYamlWriter.doubleQuoted(value.asText()))
                    .append('\n');
        }
    }

    private static String connectorYaml(
            Connector connector, String name, List<String> recipients, List<String> secrets, List<String> unmapped) {
        String env = "EQLWATCH_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
        JsonNode config = connector.config();
        StringBuilder out = new StringBuilder("  ").append(name).append(":\n");
        out.append("    # from Kibana connector '")
                .append(connector.name())
                .append("' (")
                .append(connector.id())
                .append(")\n");
        switch (connector.type()) {
            case ".slack" -> {
                out.append("    type: slack\n    url: {env: ").append(env).append("_URL}\n");
                secrets.add(env + "_URL: the Slack incoming webhook URL of connector '" + connector.name() + "'");
            }
            case ".teams" -> {
                out.append("    type: teams\n    url: {env: ").append(env).append("_URL}\n");
                secrets.add(env + "_URL: the Teams incoming webhook URL of connector '" + connector.name() + "'");
            }
            case ".pagerduty" -> {
                out.append("    type: pagerduty\n    routing_key: {env: ")
                        .append(env)
                        .append("_ROUTING_KEY}\n");
                if (config.hasNonNull("apiUrl")) {
                    out.append("    url: ")
                            .append(RuleYamlWriter.doubleQuoted(
                                    config.path("apiUrl").asText()))
                            .append('\n');
                }
                secrets.add(
                        env + "_ROUTING_KEY: the PagerDuty integration key of connector '" + connector.name() + "'");
            }
            case ".webhook" -> {
                out.append("    type: webhook\n    method: ")
                        .append(config.path("method").asText("post").toUpperCase(Locale.ROOT))
                        .append('\n');
                out.append("    url: ")
                        .append(RuleYamlWriter.doubleQuoted(config.path("url").asText("")))
                        .append('\n');
                JsonNode headers = config.path("headers");
                if (headers.isObject() && headers.size() > 0) {
                    out.append("    headers:\n");
                    for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> header = it.next();
                        out.append("      ")
                                .append(RuleYamlWriter.doubleQuoted(header.getKey()))
                                .append(": ")
                                .append(RuleYamlWriter.doubleQuoted(
                                        header.getValue().asText()))
                                .append('\n');
                    }
                }
                String authType = config.path("authType").asText("");
                if (config.path("hasAuth").asBoolean(false) && (authType.isEmpty() || authType.endsWith("basic"))) {
                    out.append("    auth:\n      type: basic\n      username: {env: ")
                            .append(env)
                            .append("_USER}\n")
                            .append("      password: {env: ")
                            .append(env)
                            .append("_PASSWORD}\n");
                    secrets.add(env + "_USER and " + env + "_PASSWORD: the basic-auth user and password of connector '"
                            + connector.name() + "'");
                } else if (config.path("hasAuth").asBoolean(false)) {
                    unmapped.add("connector '" + connector.name() + "': authentication " + authType
                            + " (eqlwatch's webhooks do basic or bearer); add auth by hand");
                }
            }
            default -> {
                out.append("    type: email\n");
                out.append("    host: ")
                        .append(RuleYamlWriter.doubleQuoted(config.path("host").asText("")))
                        .append('\n');
                if (config.hasNonNull("port")) {
                    out.append("    port: ").append(config.path("port").asInt()).append('\n');
                }
                out.append("    security: ")
                        .append(config.path("secure").asBoolean(false) ? "tls" : "starttls")
                        .append('\n');
                if (config.path("hasAuth").asBoolean(true)) {
                    out.append("    username: {env: ")
                            .append(env)
                            .append("_USER}\n")
                            .append("    password: {env: ")
                            .append(env)
                            .append("_PASSWORD}\n");
                    secrets.add(env + "_USER and " + env + "_PASSWORD: the SMTP login of connector '" + connector.name()
                            + "'");
                }
                out.append("    from: ")
                        .append(RuleYamlWriter.doubleQuoted(config.path("from").asText("")))
                        .append('\n');
                if (recipients.isEmpty()) {
                    out.append("    to: []   # Kibana sets recipients per action; none of this export's actions did\n");
                    unmapped.add("connector '" + connector.name() + "': no recipients in the export's actions; set to");
                } else {
                    out.append("    to: [")
                            .append(String.join(
                                    ", ",
                                    recipients.stream()
                                            .map(RuleYamlWriter::doubleQuoted)
                                            .toList()))
                            .append("]   # every recipient of the actions that use it\n");
                }
                if (config.hasNonNull("service")
                        && !"other".equals(config.path("service").asText())) {
                    unmapped.add("connector '" + connector.name() + "': email service '"
                            + config.path("service").asText() + "' (eqlwatch speaks SMTP; check host and port)");
                }
            }
        }
        return out.toString();
    }

    /** Kibana's throttle ({@code 1h}, {@code 30m}) as eqlwatch writes durations; {@code null} when it is not one. */
    static String duration(String text) {
        try {
            return DurationText.format(DurationText.parse(text));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    static String slug(String name) {
        String slug =
                name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "connector" : slug;
    }

    private static String uniqueName(String base, Set<String> used) {
        String candidate = base;
        for (int n = 2; !used.add(candidate); n++) {
            candidate = base + "-" + n;
        }
        return candidate;
    }
}
