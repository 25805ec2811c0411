package io.eqlwatch.notify;

import io.eqlwatch.rule.DurationText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox owes, oldest first, and records how each delivery went.
 *
 * <ul>
 *   <li>Only notifications whose alert exists are sent: one staged by a run that died before
 *       writing its alerts waits for the re-run to write them.</li>
 *   <li>Each notification is claimed with a conditional update before it is sent and marked sent
 *       right after, so a second process, or a stale read, never sends it again.</li>
 *   <li>Each connector is its own queue: when a receiver fails, its queue waits for the oldest
 *       notification's backoff (so that order is kept) while the other connectors go on.</li>
 *   <li>A notification is retried with doubling backoff until it is older than the give-up limit;
 *       a refusal that retrying cannot change (a 400, a bad address) fails it at once.</li>
 * </ul>
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int ROUND = 1000;

    private final OutboxStore store;
    private final AlertLookup alerts;
    private final Connectors connectors;
    private final NotifySettings settings;
    private final Clock clock;
    /** When each rule × action last had a message sent by this process: the store's view may lag a refresh. */
    private final Map<String, Instant> lastSent = new HashMap<>();

    public Dispatcher(OutboxStore store, AlertLookup alerts, NotifySettings settings, Clock clock) {
        this(store, alerts, Connectors.from(settings), settings, clock);
    }

    Dispatcher(OutboxStore store, AlertLookup alerts, Connectors connectors, NotifySettings settings, Clock clock) {
        this.store = store;
        this.alerts = alerts;
        this.connectors = connectors;
        this.settings = settings;
        this.clock = clock;
    }

    /** One round over everything open. Never throws for a receiver's failure; only for the store's. */
    public synchronized DispatchReport dispatch() {
        List<OutboxEntry> open = store.open(ROUND);
        Tally tally = new Tally();
        if (open.isEmpty()) {
            return tally.report();
        }
        Set<String> written = alerts.existing(
                open.stream().map(OutboxEntry::alertId).distinct().toList());
        Map<String, List<OutboxEntry>> byConnector = new LinkedHashMap<>();
        open.forEach(entry -> byConnector
                .computeIfAbsent(entry.connector(), k -> new ArrayList<>())
                .add(entry));
        byConnector.forEach((name, queue) -> drain(name, queue, written, tally));
        if (!tally.report().idle()) {
            LOG.info("{}", tally.report().line());
        }
        return tally.report();
    }

    private void drain(String connectorName, List<OutboxEntry> queue, Set<String> written, Tally tally) {
        Instant now = clock.instant();
        Optional<Connector> connector = connectors.get(connectorName);
        Set<String> handled = new HashSet<>();
        for (OutboxEntry entry : queue) {
            if (handled.contains(entry.id())) {
                continue;
            }
            if (!written.contains(entry.alertId())) {
                if (now.isAfter(entry.createdAt().plus(settings.delivery().abandonAfter()))) {
                    settle(
                            entry,
                            OutboxEntry.Status.ABANDONED,
                            entry.attempts(),
                            "its alert was never written",
                            now,
                            null);
                    tally.abandoned++;
                } else {
                    tally.waiting++;
                }
                continue;
            }
            if (entry.nextAttemptAt() != null && entry.nextAttemptAt().isAfter(now)) {
                // The oldest deliverable notification of this receiver is in backoff (or being sent by
                // another dispatcher): everything behind it waits, so that messages arrive in order.
                tally.waiting += countOpen(queue, handled, written);
                return;
            }
            List<OutboxEntry> batch = batch(entry, queue, handled, written, now);
            handled.addAll(batch.stream().map(OutboxEntry::id).toList());
            Duration period = entry.period();
            if (period != null) {
                Instant last = lastSent(entry);
                if (last != null && now.isBefore(last.plus(period))) {
                    if (entry.summary()) {
                        tally.waiting += batch.size();
                    } else {
                        for (OutboxEntry throttled : batch) {
                            settle(
                                    throttled,
                                    OutboxEntry.Status.THROTTLED,
                                    throttled.attempts(),
                                    "throttled: a message for this rule was sent at " + last + ", throttle "
                                            + DurationText.format(period),
                                    now,
                                    null);
                            tally.throttled++;
                        }
                    }
                    continue;
                }
            }
            if (connector.isEmpty()) {
                // Retried like an unreachable receiver: the connectors file may be being fixed.
                fail(
                        batch,
                        true,
                        "connector '" + connectorName + "' is not defined in the connectors file",
                        now,
                        tally);
                tally.waiting += countOpen(queue, handled, written);
                return;
            }
            List<OutboxEntry> claimed = claim(batch, now);
            if (claimed.isEmpty()) {
                // Changed since it was read (a stale read, or another dispatcher): skipping to the next one
                // would send out of order, so this queue waits for the next round's fresh read.
                tally.waiting += countOpen(queue, handled, written);
                return;
            }
            if (!deliver(connector.get(), claimed, now, tally)) {
                tally.waiting += countOpen(queue, handled, written);
                return;
            }
        }
    }

    /** A per-alert notification alone, or a summary with every other ready one of its rule and action. */
    private static List<OutboxEntry> batch(
            OutboxEntry head, List<OutboxEntry> queue, Set<String> handled, Set<String> written, Instant now) {
        if (!head.summary()) {
            return List.of(head);
        }
        List<OutboxEntry> batch = new ArrayList<>();
        for (OutboxEntry other : queue) {
            if (!handled.contains(other.id())
                    && other.ruleActionKey().equals(head.ruleActionKey())
                    && written.contains(other.alertId())
                    && (other.nextAttemptAt() == null || !other.nextAttemptAt().isAfter(now))) {
                batch.add(other);
            }
        }
        return batch;
    }

    private List<OutboxEntry> claim(List<OutboxEntry> batch, Instant now) {
        // While claimed, next_attempt_at is the lease: a dispatcher that dies mid-send leaves the entry
        // to be picked up again once the lease has run out.
        Instant lease = now.plus(settings.delivery().requestTimeout().multipliedBy(4));
        List<OutboxEntry> claimed = new ArrayList<>();
        for (OutboxEntry entry : batch) {
            store.replace(entry.with(OutboxEntry.Status.SENDING, entry.attempts(), lease, entry.lastError(), null))
                    .ifPresent(claimed::add);
        }
        return claimed;
    }

    /** Sends one message for the claimed entries; returns whether the connector's queue may go on. */
    private boolean deliver(Connector connector, List<OutboxEntry> claimed, Instant now, Tally tally) {
        RenderedMessage message;
        try {
            message = connector.render(MessageModel.of(claimed, settings.kibanaUrl(), now));
        } catch (RuntimeException e) {
            fail(claimed, false, "the message template cannot be rendered: " + e.getMessage(), now, tally);
            return true;
        }
        LOG.debug(
                "sending {} notification(s) of rule {} to {} connector {}",
                claimed.size(),
                claimed.get(0).ruleId(),
                connector.definition().type(),
                connector.definition().name());
        DeliveryOutcome outcome = connector.send(message);
        Instant done = clock.instant();
        if (outcome.delivered()) {
            for (OutboxEntry entry : claimed) {
                settle(entry, OutboxEntry.Status.SENT, entry.attempts() + 1, null, done, done);
            }
            lastSent.merge(claimed.get(0).ruleActionKey(), done, (a, b) -> a.isAfter(b) ? a : b);
            tally.messages++;
            tally.sent += claimed.size();
            return true;
        }
        fail(claimed, outcome.retryable(), outcome.detail(), done, tally);
        return !outcome.retryable();
    }

    private void fail(List<OutboxEntry> entries, boolean retryable, String reason, Instant now, Tally tally) {
        for (OutboxEntry entry : entries) {
            int attempts = entry.attempts() + 1;
            boolean tooOld =
                    !now.isBefore(entry.createdAt().plus(settings.delivery().giveUpAfter()));
            if (!retryable || tooOld) {
                String why = retryable
                        ? "gave up after " + attempts + " attempt(s) over "
                                + DurationText.format(Duration.ofSeconds(Math.max(
                                        1,
                                        Duration.between(entry.createdAt(), now).toSeconds())))
                                + ": " + reason
                        : reason;
                settle(entry, OutboxEntry.Status.FAILED, attempts, why, now, null);
                tally.failed++;
                LOG.warn(
                        "notification of alert {} (rule {}) to connector {} failed: {}",
                        entry.alertId(),
                        entry.ruleId(),
                        entry.connector(),
                        why);
            } else {
                Instant next = now.plus(settings.delivery().backoff(attempts));
                settle(entry, OutboxEntry.Status.PENDING, attempts, reason, next, null);
                tally.retrying++;
                LOG.warn(
                        "notification of alert {} (rule {}) to connector {}: {}; attempt {} failed, next at {}",
                        entry.alertId(),
                        entry.ruleId(),
                        entry.connector(),
                        reason,
                        attempts,
                        next);
            }
        }
    }

    /** Writes an entry's new state. For PENDING, {@code when} is the next attempt; otherwise the settling time. */
    private void settle(
            OutboxEntry entry, OutboxEntry.Status status, int attempts, String error, Instant when, Instant sentAt) {
        Instant next = status == OutboxEntry.Status.PENDING ? when : null;
        if (store.replace(entry.with(status, attempts, next, error, sentAt)).isEmpty()) {
            LOG.warn(
                    "notification {} of rule {} changed while being settled as {}; left as the other writer set it",
                    entry.id(),
                    entry.ruleId(),
                    status.text());
        }
    }

    private Instant lastSent(OutboxEntry entry) {
        Instant mine = lastSent.get(entry.ruleActionKey());
        Instant stored = store.lastSent(entry.ruleId(), entry.actionKey()).orElse(null);
        if (mine == null) {
            return stored;
        }
        return stored == null || mine.isAfter(stored) ? mine : stored;
    }

    private static int countOpen(List<OutboxEntry> queue, Set<String> handled, Set<String> written) {
        int n = 0;
        for (OutboxEntry entry : queue) {
            if (!handled.contains(entry.id()) && written.contains(entry.alertId())) {
                n++;
            }
        }
        return n;
    }

    private static final class Tally {
        int messages;
        int sent;
        int retrying;
        int failed;
        int throttled;
        int abandoned;
        int waiting;

        DispatchReport report() {
            return new DispatchReport(messages, sent, retrying, failed, throttled, abandoned, waiting);
        }
    }
}
