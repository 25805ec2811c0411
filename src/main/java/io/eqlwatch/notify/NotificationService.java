package io.eqlwatch.notify;

import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleAction;
import io.eqlwatch.schedule.ExecutionListener;
import io.eqlwatch.schedule.ExecutionSummary;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications as the run loop sees them: a decorator of the alert sink that stages each window's
 * owed notifications before its alerts are written, and an execution listener that has the
 * dispatcher send them — right after each execution that wrote alerts, and every poll interval for
 * retries, digests and whatever a previous process left.
 */
public final class NotificationService implements ExecutionListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    private final OutboxStager stager;
    private final Dispatcher dispatcher;
    private final NotifySettings settings;
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private ScheduledExecutorService thread;

    public NotificationService(
            OutboxStore store,
            AlertLookup alerts,
            NotifySettings settings,
            String alertsIndex,
            String spaceId,
            Clock clock) {
        this.settings = settings;
        this.stager = new OutboxStager(store, alerts, alertsIndex, spaceId, clock);
        this.dispatcher = new Dispatcher(store, alerts, settings, clock);
    }

    /** Problems of the rules' actions against the connectors file, one line each (unknown connectors). */
    public List<String> check(List<Rule> rules) {
        List<String> problems = new ArrayList<>();
        for (Rule rule : rules) {
            for (RuleAction action : rule.actions()) {
                if (settings.connector(action.connector()).isEmpty()) {
                    problems.add((rule.source() == null
                                    ? rule.ruleId()
                                    : rule.source().toString()) + ": action connector '" + action.connector()
                            + "' is not defined in the connectors file");
                }
            }
        }
        return problems;
    }

    /** The rules whose alerts the sink will see; called again whenever the rules folder changes. */
    public void register(List<Rule> loaded) {
        Map<String, Rule> byId = new HashMap<>();
        loaded.forEach(rule -> byId.put(rule.ruleId(), rule));
        rules.putAll(byId);
        rules.keySet().retainAll(byId.keySet());
    }

    /** The sink that stages notifications for the groups it is given, then writes them through {@code delegate}. */
    public AlertSink around(AlertSink delegate) {
        return new NotifyingSink(delegate, stager, rules::get);
    }

    @Override
    public void executionFinished(Rule rule, ExecutionSummary summary, List<String> createdAlertIds) {
        if (!createdAlertIds.isEmpty() && !rule.actions().isEmpty()) {
            ScheduledExecutorService running = thread;
            if (running != null) {
                running.execute(this::dispatchQuietly);
            }
        }
    }

    /** One dispatch round now, on the caller's thread (for {@code once} and {@code backfill --notify}). */
    public DispatchReport dispatchNow() {
        return dispatcher.dispatch();
    }

    /** Starts dispatching in the background: at once, then every poll interval. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eqlwatch-notify");
            t.setDaemon(true);
            return t;
        });
        long poll = Math.max(1, settings.delivery().poll().toMillis());
        thread.scheduleWithFixedDelay(this::dispatchQuietly, 0, poll, TimeUnit.MILLISECONDS);
    }

    private void dispatchQuietly() {
        try {
            dispatcher.dispatch();
        } catch (RuntimeException e) {
            LOG.warn("notifications: dispatch round failed, retrying at the next poll: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdown();
            try {
                thread.awaitTermination(settings.delivery().requestTimeout().toSeconds() + 1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
