package io.eqlwatch.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.eqlwatch.alert.AlertIndexException;
import io.eqlwatch.alert.AlertIndexInstaller;
import io.eqlwatch.alert.AlertIndexSettings;
import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.AlertWriter;
import io.eqlwatch.es.ElasticsearchClients;
import io.eqlwatch.es.ElasticsearchConnection;
import io.eqlwatch.notify.ElasticsearchAlertLookup;
import io.eqlwatch.notify.ElasticsearchOutbox;
import io.eqlwatch.notify.NotificationService;
import io.eqlwatch.notify.NotifySettings;
import io.eqlwatch.notify.NotifyStoreException;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.schedule.BatchExecutor;
import io.eqlwatch.schedule.ElasticsearchRunStateStore;
import io.eqlwatch.schedule.ExecutionListener;
import io.eqlwatch.schedule.RangeRun;
import io.eqlwatch.schedule.RuleCompiler;
import io.eqlwatch.schedule.RuleExecutor;
import io.eqlwatch.schedule.RunLoop;
import io.eqlwatch.schedule.WindowDetection;
import io.eqlwatch.schedule.WindowPlanner;
import io.eqlwatch.source.EventReader;
import io.eqlwatch.source.FieldMappings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a command needs to run rules against one cluster, wired once: the client, the alerts
 * index, the run state, and the executor built on them.
 */
final class ConnectedServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectedServices.class);

    final ElasticsearchClient client;
    final String url;
    final AlertIndexSettings alertIndex;
    final ElasticsearchRunStateStore state;
    final FieldMappings mappings;
    final RunLoop loop;
    final AlertWriter writer;
    final RuleExecutor executor;
    /** Executes the rules due at one instant together ({@code once}); {@code null} where {@link #executor} is. */
    final BatchExecutor batch;
    /** Stages and sends the rules' notifications; {@code null} for commands that notify no one. */
    final NotificationService notifications;
    /** Where runs write alerts: the writer, wrapped by the notifications when there are any. */
    final AlertSink sink;

    private ConnectedServices(
            ElasticsearchClient client,
            String url,
            AlertIndexSettings alertIndex,
            ElasticsearchRunStateStore state,
            EngineOptions engine) {
        this(client, url, alertIndex, state, engine, null, List.of());
    }

    /** @param listeners told of every execution besides the notifications (the metrics and health endpoint) */
    private ConnectedServices(
            ElasticsearchClient client,
            String url,
            AlertIndexSettings alertIndex,
            ElasticsearchRunStateStore state,
            EngineOptions engine,
            NotificationService notifications,
            List<ExecutionListener> listeners) {
        this.notifications = notifications;
        this.client = client;
        this.url = url;
        this.alertIndex = alertIndex;
        this.state = state;
        this.mappings = new FieldMappings(client, url);
        EventReader reader = new EventReader(client, url, engine.source.forCluster(url));
        this.loop = new RunLoop(
                new WindowDetection(reader, engine.pageSize),
                alertIndex == null ? AlertIndexSettings.defaults().spaceId() : alertIndex.spaceId());
        // Alerts searchable as soon as a run returns: `once` and `demo` read them back at once, and the
        // daemon's next run finds them by id without relying on the writer's memory of recent ids.
        // A deleted alerts index is installed again by the next write (Kibana's own index is Kibana's to create).
        this.writer = alertIndex == null
                ? null
                : new AlertWriter(
                        client,
                        alertIndex.name(),
                        AlertWriter.Options.defaults().withRefreshWaitFor(true),
                        alertIndex.kibanaIndex() ? null : new AlertIndexInstaller(client, alertIndex));
        this.sink = writer == null || notifications == null ? writer : notifications.around(writer);
        this.executor = writer == null
                ? null
                : new RuleExecutor(
                        mappings,
                        loop,
                        sink,
                        state,
                        new WindowPlanner(Duration.ofHours(engine.catchUpHours)),
                        Clock.systemUTC(),
                        withNotifications(listeners, notifications));
        this.batch = executor == null ? null : new BatchExecutor(executor, reader, engine.pageSize);
    }

    private static List<ExecutionListener> withNotifications(
            List<ExecutionListener> listeners, NotificationService notifications) {
        List<ExecutionListener> all = new ArrayList<>(listeners);
        if (notifications != null) {
            all.add(notifications);
        }
        return all;
    }

    /** A range runner on this cluster, for backfill and preview, reading windows of the given size. */
    RangeRun rangeRun(Duration windowSize) {
        return new RangeRun(loop, Clock.systemUTC(), windowSize);
    }

    /** The rule's plan against the field types its indices have in this cluster. */
    RulePlan plan(Rule rule) {
        return new RuleCompiler(mappings).compile(rule);
    }

    /** Only reads: a client, with no alerts or state index installed (for preview). */
    static ConnectedServices connectOnly(ConnectionOptions connectionOptions, EngineOptions engine) {
        ElasticsearchConnection connection = connection(connectionOptions);
        return new ConnectedServices(ElasticsearchClients.create(connection), connection.url(), null, null, engine);
    }

    static ElasticsearchConnection connection(ConnectionOptions options) {
        try {
            ElasticsearchConnection connection = ElasticsearchConnection.of(options.esUrl);
            String apiKey =
                    options.apiKeyFile != null ? secretFrom(options.apiKeyFile, "--es-api-key-file") : options.apiKey;
            String password = options.passwordFile != null
                    ? secretFrom(options.passwordFile, "--es-password-file")
                    : options.password;
            if (apiKey != null && !apiKey.isBlank()) {
                connection = connection.withApiKey(apiKey);
            }
            if (options.username != null && !options.username.isBlank()) {
                connection = connection.withBasicAuth(options.username, password);
            }
            if (options.caCertificate != null) {
                connection = connection.withCaCertificate(options.caCertificate);
            }
            return connection;
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage());
        }
    }

    /** As {@link #open(ConnectionOptions, RuleOptions, EngineOptions)}, with the rules' notifications. */
    static ConnectedServices open(
            ConnectionOptions connectionOptions, RuleOptions ruleOptions, EngineOptions engine, NotifyOptions notify) {
        return open(connectionOptions, ruleOptions, engine, notify, null, List.of());
    }

    /**
     * As {@link #open(ConnectionOptions, RuleOptions, EngineOptions, NotifyOptions)}, recording {@code node} in the
     * execution history and also telling {@code listeners} of every execution.
     */
    static ConnectedServices open(
            ConnectionOptions connectionOptions,
            RuleOptions ruleOptions,
            EngineOptions engine,
            NotifyOptions notify,
            String node,
            List<ExecutionListener> listeners) {
        NotifySettings settings = notify.settings();
        ConnectedServices plain = open(connectionOptions, ruleOptions, engine, node);
        ElasticsearchOutbox outbox = new ElasticsearchOutbox(plain.client, notify.notificationsIndex);
        try {
            outbox.install();
        } catch (NotifyStoreException e) {
            plain.close();
            throw new UserFacingException(e.getMessage(), e);
        }
        NotificationService notifications = new NotificationService(
                outbox,
                new ElasticsearchAlertLookup(plain.client, plain.alertIndex.name()),
                settings,
                plain.alertIndex.name(),
                plain.alertIndex.spaceId(),
                Clock.systemUTC());
        return new ConnectedServices(
                plain.client, plain.url, plain.alertIndex, plain.state, engine, notifications, listeners);
    }

    /** The first line of a secret file (a trailing newline is what editors and `echo` leave). */
    private static String secretFrom(Path file, String option) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("")
                    .strip();
        } catch (IOException e) {
            throw new UserFacingException(
                    option + ": cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** Connects and installs the alerts index and the state index; fails with a message saying why. */
    static ConnectedServices open(ConnectionOptions connectionOptions, RuleOptions ruleOptions, EngineOptions engine) {
        return open(connectionOptions, ruleOptions, engine, (String) null);
    }

    /** As {@link #open(ConnectionOptions, RuleOptions, EngineOptions)}, recording {@code node} with each execution. */
    static ConnectedServices open(
            ConnectionOptions connectionOptions, RuleOptions ruleOptions, EngineOptions engine, String node) {
        ElasticsearchConnection connection = connection(connectionOptions);
        ElasticsearchClient client = ElasticsearchClients.create(connection);
        AlertIndexSettings alertIndex = alertIndexSettings(ruleOptions);
        try {
            // The installer logs its own warnings (e.g. a cluster without ILM).
            new AlertIndexInstaller(client, alertIndex).install();
        } catch (AlertIndexException e) {
            close(client);
            throw new UserFacingException(
                    "cannot prepare the alerts index " + alertIndex.name() + " on " + connection.url() + ": "
                            + e.getMessage(),
                    e);
        }
        ElasticsearchRunStateStore state = new ElasticsearchRunStateStore(client, engine.stateIndex, node);
        try {
            state.install();
        } catch (RuntimeException e) {
            close(client);
            throw new UserFacingException(e.getMessage(), e);
        }
        return new ConnectedServices(client, connection.url(), alertIndex, state, engine);
    }

    static AlertIndexSettings alertIndexSettings(RuleOptions options) {
        try {
            AlertIndexSettings settings = AlertIndexSettings.forIndex(options.alertsIndex);
            if (settings.kibanaIndex()) {
                return settings;
            }
            String retention = "none".equals(options.retention) ? null : options.retention;
            return settings.withLifecycle(options.rolloverSize, options.rolloverAge, retention);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage());
        }
    }

    private static void close(ElasticsearchClient client) {
        try {
            client._transport().close();
        } catch (IOException e) {
            LOG.debug("closing the client: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (notifications != null) {
            notifications.close();
        }
        close(client);
    }
}
