package io.eqlwatch.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.rule.DurationText;
import io.eqlwatch.rule.PositionedYaml;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the connectors file ({@code connectors.yml} beside the rules folder). Secrets are never
 * written in it: a secret setting is {@code {env: NAME}} or {@code {file: PATH}}, and a plain
 * value there is refused. Every problem is reported at once, with line and column.
 */
public final class ConnectorsFile {

    private static final Set<String> TOP = Set.of("kibana_url", "delivery", "connectors");
    private static final Set<String> DELIVERY =
            Set.of("backoff", "max_backoff", "give_up_after", "timeout", "poll", "abandon_after");
    private static final Map<String, Set<String>> KEYS = Map.of(
            "webhook", Set.of("type", "method", "url", "headers", "body", "auth"),
            "slack", Set.of("type", "url"),
            "teams", Set.of("type", "url"),
            "pagerduty", Set.of("type", "routing_key", "url"),
            "email", Set.of("type", "host", "port", "security", "username", "password", "from", "to", "cc"));

    private final Function<String, String> environment;

    /** Reads secrets from this process's environment. */
    public ConnectorsFile() {
        this(System::getenv);
    }

    public ConnectorsFile(Function<String, String> environment) {
        this.environment = environment;
    }

    /** Loads the file; a missing file means no connectors. */
    public NotifySettings load(Path file) {
        if (!Files.exists(file)) {
            return NotifySettings.none();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NotifyConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        return parse(text, file);
    }

    public NotifySettings parse(String text, Path file) {
        PositionedYaml yaml;
        try {
            yaml = PositionedYaml.parse(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new NotifyConfigException(List.of(file + ":" + (at == null ? 0 : at.getLineNr()) + ":"
                    + (at == null ? 0 : at.getColumnNr()) + ": invalid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse("")));
        } catch (IOException e) {
            throw new NotifyConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        return new Reading(yaml, file).settings();
    }

    private final class Reading {
        private final PositionedYaml yaml;
        private final Path file;
        private final List<String> problems = new ArrayList<>();

        Reading(PositionedYaml yaml, Path file) {
            this.yaml = yaml;
            this.file = file;
        }

        NotifySettings settings() {
            JsonNode root = yaml.root();
            if (root.isNull() || root.isMissingNode()) {
                return NotifySettings.none();
            }
            if (!root.isObject()) {
                problem("", "the connectors file must be a mapping with kibana_url, delivery and connectors");
                throw new NotifyConfigException(problems);
            }
            checkKeys(root, "", TOP);
            URI kibana = null;
            String kibanaText = text(root, "kibana_url", "");
            if (kibanaText != null) {
                kibana = uri(kibanaText, "kibana_url");
            }
            DeliveryPolicy delivery = delivery(root.get("delivery"));
            Map<String, ConnectorDefinition> connectors = new LinkedHashMap<>();
            JsonNode list = root.get("connectors");
            if (list != null && !list.isNull()) {
                if (!list.isObject()) {
                    problem("connectors", "connectors must be a mapping from each connector's name to its settings");
                } else {
                    for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> entry = it.next();
                        ConnectorDefinition connector =
                                connector(entry.getKey(), entry.getValue(), "connectors." + entry.getKey());
                        if (connector != null) {
                            connectors.put(entry.getKey(), connector);
                        }
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new NotifyConfigException(problems);
            }
            return new NotifySettings(connectors, kibana, delivery);
        }

        private DeliveryPolicy delivery(JsonNode node) {
            DeliveryPolicy d = DeliveryPolicy.DEFAULT;
            if (node == null || node.isNull()) {
                return d;
            }
            if (!node.isObject()) {
                problem("delivery", "delivery must be a mapping of backoff, max_backoff, give_up_after, timeout, poll");
                return d;
            }
            checkKeys(node, "delivery", DELIVERY);
            return new DeliveryPolicy(
                    duration(node, "delivery", "backoff", d.initialBackoff()),
                    duration(node, "delivery", "max_backoff", d.maxBackoff()),
                    duration(node, "delivery", "give_up_after", d.giveUpAfter()),
                    duration(node, "delivery", "timeout", d.requestTimeout()),
                    duration(node, "delivery", "poll", d.poll()),
                    duration(node, "delivery", "abandon_after", d.abandonAfter()));
        }

        private ConnectorDefinition connector(String name, JsonNode node, String path) {
            if (!node.isObject()) {
                problem(path, "connector '" + name + "' must be a mapping with a type");
                return null;
            }
            String type = text(node, "type", path);
            if (type == null || !KEYS.containsKey(type)) {
                problem(
                        path.isEmpty() ? "" : (node.has("type") ? path + ".type" : path),
                        "connector '" + name
                                + "': type " + (type == null ? "is missing" : "'" + type + "' is unknown")
                                + "; one of webhook, slack, teams, pagerduty, email");
                return null;
            }
            checkKeys(node, path, KEYS.get(type));
            int before = problems.size();
            ConnectorDefinition out =
                    switch (type) {
                        case "webhook" -> webhook(name, node, path);
                        case "slack" -> new ConnectorDefinition.Slack(name, secret(node, "url", path, true));
                        case "teams" -> new ConnectorDefinition.Teams(name, secret(node, "url", path, true));
                        case "pagerduty" -> pagerDuty(name, node, path);
                        default -> email(name, node, path);
                    };
            return problems.size() == before ? out : null;
        }

        private ConnectorDefinition webhook(String name, JsonNode node, String path) {
            String method = text(node, "method", path);
            method = method == null ? "POST" : method.toUpperCase(java.util.Locale.ROOT);
            if (!Set.of("POST", "PUT", "PATCH").contains(method)) {
                problem(path + ".method", "connector '" + name + "': method must be POST, PUT or PATCH");
            }
            SettingValue url = setting(node, "url", path, true);
            if (url != null && url.secret() == null) {
                uri(url.literal(), path + ".url");
            }
            Map<String, SettingValue> headers = new LinkedHashMap<>();
            JsonNode headerNode = node.get("headers");
            if (headerNode != null && headerNode.isObject()) {
                for (Iterator<String> names = headerNode.fieldNames(); names.hasNext(); ) {
                    String header = names.next();
                    SettingValue value = setting(headerNode, header, path + ".headers", true);
                    if (value != null) {
                        headers.put(header, value);
                    }
                }
            } else if (headerNode != null && !headerNode.isNull()) {
                problem(path + ".headers", "connector '" + name + "': headers must be a mapping of name to value");
            }
            ConnectorDefinition.HttpAuth auth = null;
            JsonNode authNode = node.get("auth");
            if (authNode != null && authNode.isObject()) {
                String authPath = path + ".auth";
                String kind = text(authNode, "type", authPath);
                if ("basic".equals(kind)) {
                    checkKeys(authNode, authPath, Set.of("type", "username", "password"));
                    auth = new ConnectorDefinition.HttpAuth.Basic(
                            value(authNode, "username", authPath), secret(authNode, "password", authPath, true));
                } else if ("bearer".equals(kind)) {
                    checkKeys(authNode, authPath, Set.of("type", "token"));
                    auth = new ConnectorDefinition.HttpAuth.Bearer(secret(authNode, "token", authPath, true));
                } else {
                    problem(authPath, "connector '" + name + "': auth type must be basic or bearer");
                }
            } else if (authNode != null && !authNode.isNull()) {
                problem(path + ".auth", "connector '" + name + "': auth must be a mapping with type basic or bearer");
            }
            return new ConnectorDefinition.Webhook(name, method, url, headers, text(node, "body", path), auth);
        }

        private ConnectorDefinition pagerDuty(String name, JsonNode node, String path) {
            Secret key = secret(node, "routing_key", path, true);
            String url = text(node, "url", path);
            URI events = url == null ? ConnectorDefinition.PagerDuty.EVENTS_URL : uri(url, path + ".url");
            return new ConnectorDefinition.PagerDuty(name, key, events);
        }

        private ConnectorDefinition email(String name, JsonNode node, String path) {
            String host = text(node, "host", path);
            if (host == null) {
                problem(path, "connector '" + name + "': email needs the SMTP host");
            }
            String securityText = text(node, "security", path);
            ConnectorDefinition.SmtpSecurity security = ConnectorDefinition.SmtpSecurity.STARTTLS;
            if (securityText != null) {
                try {
                    security =
                            ConnectorDefinition.SmtpSecurity.valueOf(securityText.toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problem(path + ".security", "connector '" + name + "': security must be starttls, tls or none");
                }
            }
            int defaultPort = security == ConnectorDefinition.SmtpSecurity.TLS ? 465 : 587;
            int port = defaultPort;
            JsonNode portNode = node.get("port");
            if (portNode != null) {
                if (!portNode.canConvertToInt() || portNode.asInt() < 1 || portNode.asInt() > 65535) {
                    problem(path + ".port", "connector '" + name + "': port must be a number from 1 to 65535");
                } else {
                    port = portNode.asInt();
                }
            }
            String username = value(node, "username", path);
            Secret password = node.has("password") ? secret(node, "password", path, true) : null;
            if (username != null && password == null && !node.has("password")) {
                problem(
                        path,
                        "connector '" + name + "': username given without a password ({env: NAME} or {file: PATH})");
            }
            String from = text(node, "from", path);
            if (from == null) {
                problem(path, "connector '" + name + "': email needs a from address");
            }
            List<String> to = addresses(node, "to", path);
            if (to.isEmpty()) {
                problem(path, "connector '" + name + "': email needs at least one address in to");
            }
            return new ConnectorDefinition.Email(
                    name, host, port, security, username, password, from, to, addresses(node, "cc", path));
        }

        private List<String> addresses(JsonNode node, String key, String path) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            if (value.isValueNode()) {
                out.add(value.asText());
            } else {
                value.forEach(v -> out.add(v.asText()));
            }
            return out;
        }

        /**
         * A setting that may be given in the file, or as {@code {env: NAME}} / {@code {file: PATH}}.
         * With {@code mustBeSecret} a value written in the file itself is refused.
         */
        private SettingValue setting(JsonNode node, String key, String path, boolean required) {
            JsonNode value = node.get(key);
            String at = path + "." + key;
            if (value == null || value.isNull()) {
                if (required) {
                    problem(path, "missing '" + key + "' in " + path);
                }
                return null;
            }
            if (value.isValueNode()) {
                return SettingValue.literal(value.asText());
            }
            Secret secret = external(value, at);
            return secret == null ? null : SettingValue.secret(secret);
        }

        private Secret secret(JsonNode node, String key, String path, boolean required) {
            JsonNode value = node.get(key);
            String at = path + "." + key;
            if (value == null || value.isNull()) {
                if (required) {
                    problem(path, "missing '" + key + "' in " + path + " (give it as {env: NAME} or {file: PATH})");
                }
                return null;
            }
            if (value.isValueNode()) {
                // The value is not repeated in the message: it is meant to be secret.
                problem(at, at + " is a secret and must not be written in the file: use {env: NAME} or {file: PATH}");
                return null;
            }
            return external(value, at);
        }

        private Secret external(JsonNode value, String at) {
            if (!value.isObject() || value.size() != 1 || !(value.has("env") || value.has("file"))) {
                problem(at, at + " must be a value, {env: NAME} or {file: PATH}");
                return null;
            }
            if (value.has("env")) {
                String variable = value.get("env").asText();
                String found = environment.apply(variable);
                if (found == null || found.isEmpty()) {
                    problem(at, at + ": environment variable " + variable + " is not set");
                    return null;
                }
                return Secret.of(found, "env " + variable);
            }
            Path secretFile = Path.of(value.get("file").asText());
            try {
                return Secret.of(
                        Files.readString(secretFile, StandardCharsets.UTF_8).strip(), "file " + secretFile);
            } catch (IOException e) {
                problem(
                        at,
                        at + ": cannot read secret file " + secretFile + ": "
                                + e.getClass().getSimpleName());
                return null;
            }
        }

        private Duration duration(JsonNode node, String path, String key, Duration fallback) {
            String text = text(node, key, path);
            if (text == null) {
                return fallback;
            }
            try {
                if (text.trim().endsWith("ms")) {
                    long millis =
                            Long.parseLong(text.trim().substring(0, text.trim().length() - 2));
                    if (millis > 0) {
                        return Duration.ofMillis(millis);
                    }
                }
                return DurationText.parse(text);
            } catch (IllegalArgumentException e) {
                problem(path + "." + key, path + "." + key + ": " + e.getMessage());
                return fallback;
            }
        }

        private URI uri(String text, String path) {
            try {
                URI uri = new URI(text);
                if (uri.getScheme() == null
                        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    problem(path, path + " must be an http:// or https:// address");
                    return null;
                }
                return uri;
            } catch (URISyntaxException e) {
                problem(path, path + " is not an address: " + e.getReason());
                return null;
            }
        }

        /** A setting that is not secret in itself but may come from the environment, like a login name. */
        private String value(JsonNode node, String key, String path) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            SettingValue setting = setting(node, key, path, false);
            return setting == null ? null : setting.value();
        }

        private String text(JsonNode node, String key, String path) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isValueNode()) {
                problem(
                        path.isEmpty() ? key : path + "." + key,
                        (path.isEmpty() ? key : path + "." + key) + " must be a single value");
                return null;
            }
            return value.asText();
        }

        private void checkKeys(JsonNode node, String path, Set<String> known) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    String child = path.isEmpty() ? name : path + "." + name;
                    PositionedYaml.Position at = yaml.keyPosition(child);
                    problems.add(file + ":" + at.line() + ":" + at.column() + ": unknown key '" + name + "'"
                            + (path.isEmpty() ? "" : " in " + path) + "; expected one of "
                            + String.join(", ", known.stream().sorted().toList()));
                }
            }
        }

        private void problem(String path, String message) {
            PositionedYaml.Position at = yaml.valuePosition(path);
            problems.add(file + ":" + at.line() + ":" + at.column() + ": " + message);
        }
    }
}
