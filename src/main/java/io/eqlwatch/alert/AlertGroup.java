package io.eqlwatch.alert;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The alerts of one match, which are written together and count once against a rule's
 * {@code max_signals}: a sequence's building blocks followed by its shell, or the single alert of
 * an event query.
 *
 * @param documents    the documents in write order (building blocks first, shell last)
 * @param originalTime the time of the match's first event
 * @param lastTime     the time of the match's last event: a sequence is complete at this instant
 */
public record AlertGroup(List<AlertDocument> documents, Instant originalTime, Instant lastTime) {

    /** A group whose match is one instant (an event query's single event). */
    public AlertGroup(List<AlertDocument> documents, Instant originalTime) {
        this(documents, originalTime, originalTime);
    }

    public AlertGroup {
        documents = List.copyOf(documents);
        Objects.requireNonNull(originalTime, "originalTime");
        lastTime = lastTime == null ? originalTime : lastTime;
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("an alert group holds at least one document");
        }
    }

    /** The id analysts know the match by: the shell's id for a sequence, the alert's for an event. */
    public String id() {
        return documents.get(documents.size() - 1).id();
    }

    /** The document analysts triage: the shell of a sequence, the single alert of an event query. */
    public AlertDocument primary() {
        return documents.get(documents.size() - 1);
    }

    public List<String> documentIds() {
        return documents.stream().map(AlertDocument::id).toList();
    }
}
