package io.eqlwatch.engine;

/**
 * What a query run did, for run summaries and logs.
 *
 * @param eventsSeen           events fed to the runner
 * @param pendingSequences     sequences in flight at the moment of the snapshot
 * @param peakPendingSequences the most sequences in flight at once (memory high-water mark)
 * @param matchesFound         matches the query produced, before {@code head}/{@code tail}
 * @param matchesReturned      matches handed on after {@code head}/{@code tail}
 */
public record RunCounters(
        long eventsSeen, long pendingSequences, long peakPendingSequences, long matchesFound, long matchesReturned) {}
