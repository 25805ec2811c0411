package io.eqlwatch.notify;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where owed notifications are kept until they are sent: Elasticsearch in production. */
public interface OutboxStore {

    /**
     * Records notifications that do not exist yet; an id already there is left as it is (create
     * semantics), so staging the same alert again after a crash changes nothing.
     *
     * @throws NotifyStoreException when they cannot all be recorded
     */
    void stage(List<OutboxEntry> entries);

    /** Notifications not yet settled (pending or sending), oldest first, at most {@code limit}. */
    List<OutboxEntry> open(int limit);

    /**
     * Replaces an entry if nobody changed it since it was read (its {@code seqNo}); returns the
     * entry with its new version, or empty when another dispatcher got there first.
     */
    Optional<OutboxEntry> replace(OutboxEntry updated);

    /** When a message was last sent for this rule and action (throttles and digests). */
    Optional<Instant> lastSent(String ruleId, String actionKey);

    /** Entries of a rule (all rules when {@code ruleId} is null) in the given status, newest first. */
    List<OutboxEntry> recent(String ruleId, OutboxEntry.Status status, int limit);

    /** How many entries of a rule there are in each status. */
    Map<OutboxEntry.Status, Long> counts(String ruleId);
}
