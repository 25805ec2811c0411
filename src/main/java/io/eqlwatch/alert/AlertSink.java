package io.eqlwatch.alert;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a run's alerts go. The run loop asks which alerts exist already (alert ids are
 * deterministic, so an alert an earlier run or an overlapping window wrote is found by id), applies
 * the rule's {@code max_signals} to the new matches only, and hands the kept ones to {@link #write}.
 *
 * <p>Made to be decorated: a suppression or notification layer wraps a sink, sees the groups going
 * in and the ids that were really created coming out, and the run loop knows nothing of it.
 */
public interface AlertSink {

    /** Which of the document ids already exist. */
    Set<String> existing(Collection<String> documentIds) throws AlertWriteException;

    /**
     * Creates the documents of the groups that do not exist yet.
     *
     * @throws AlertWriteException when a document is refused, or the store stays unavailable; its
     *                             {@link AlertWriteException#partial()} says what was written
     */
    WriteResult write(List<AlertGroup> groups) throws AlertWriteException;

    /**
     * The alerts index behind this sink, for a layer that must find and update alerts already written
     * (suppression folds a match into its group's open alert). A decorator passes its inner sink's on;
     * a sink that writes nowhere (a preview) has none.
     */
    default Optional<AlertWriter> store() {
        return Optional.empty();
    }
}
