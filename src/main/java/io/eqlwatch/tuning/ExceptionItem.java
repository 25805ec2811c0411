package io.eqlwatch.tuning;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One exception: an event it describes is no detection. Its entries are ANDed; the items of a rule
 * (its own and those of the shared lists it references) are ORed.
 *
 * @param itemId     Kibana's {@code item_id}; stable, so an item can be found again after import
 * @param listId     the shared list the item belongs to, or {@code null} for a rule's own exception
 * @param expireTime after this instant the item no longer applies; {@code null}: never expires
 * @param osTypes    Kibana's {@code os_types}; informational for detection rules, as in Kibana
 * @param comments   the comments' texts, oldest first
 */
public record ExceptionItem(
        String itemId,
        String listId,
        String name,
        String description,
        List<ExceptionEntry> entries,
        Instant expireTime,
        List<String> osTypes,
        List<String> comments) {

    public ExceptionItem {
        Objects.requireNonNull(name, "name");
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("exception item '" + name + "' has no entries");
        }
        osTypes = List.copyOf(osTypes);
        comments = List.copyOf(comments);
        description = description == null ? "" : description;
    }

    /** {@code true} when the item has expired by {@code now}, as Kibana drops expired items before a run. */
    public boolean expiredAt(Instant now) {
        return expireTime != null && !now.isBefore(expireTime);
    }
}
