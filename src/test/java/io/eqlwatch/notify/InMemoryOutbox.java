package io.eqlwatch.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The outbox in memory, with Elasticsearch's create and compare-and-set semantics. */
final class InMemoryOutbox implements OutboxStore {

    private final Map<String, OutboxEntry> entries = new LinkedHashMap<>();
    private long sequence;

    @Override
    public synchronized void stage(List<OutboxEntry> staged) {
        for (OutboxEntry entry : staged) {
            entries.putIfAbsent(entry.id(), entry.withVersion(sequence++, 1));
        }
    }

    @Override
    public synchronized List<OutboxEntry> open(int limit) {
        return entries.values().stream()
                .filter(e -> e.status() == OutboxEntry.Status.PENDING || e.status() == OutboxEntry.Status.SENDING)
                .sorted(Comparator.comparing(OutboxEntry::createdAt)
                        .thenComparing(OutboxEntry::alertTime)
                        .thenComparing(OutboxEntry::alertId)
                        .thenComparing(OutboxEntry::actionKey))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<OutboxEntry> replace(OutboxEntry updated) {
        OutboxEntry current = entries.get(updated.id());
        if (current == null || current.seqNo() != updated.seqNo()) {
            return Optional.empty();
        }
        OutboxEntry stored = updated.withVersion(sequence++, 1);
        entries.put(updated.id(), stored);
        return Optional.of(stored);
    }

    @Override
    public synchronized Optional<Instant> lastSent(String ruleId, String actionKey) {
        return entries.values().stream()
                .filter(e -> e.status() == OutboxEntry.Status.SENT
                        && e.ruleId().equals(ruleId)
                        && e.actionKey().equals(actionKey))
                .map(OutboxEntry::sentAt)
                .max(Comparator.naturalOrder());
    }

    @Override
    public synchronized List<OutboxEntry> recent(String ruleId, OutboxEntry.Status status, int limit) {
        return entries.values().stream()
                .filter(e ->
                        e.status() == status && (ruleId == null || e.ruleId().equals(ruleId)))
                .sorted(Comparator.comparing(OutboxEntry::createdAt).reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Map<OutboxEntry.Status, Long> counts(String ruleId) {
        Map<OutboxEntry.Status, Long> out = new EnumMap<>(OutboxEntry.Status.class);
        entries.values().stream()
                .filter(e -> e.ruleId().equals(ruleId))
                .forEach(e -> out.merge(e.status(), 1L, Long::sum));
        return out;
    }

    synchronized List<OutboxEntry> all() {
        return new ArrayList<>(entries.values());
    }

    synchronized OutboxEntry get(String id) {
        return entries.get(id);
    }
}
