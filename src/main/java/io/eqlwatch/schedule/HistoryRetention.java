package io.eqlwatch.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the execution history to a fixed age by deleting older executions (at 1,000 rules every
 * five minutes that is 288,000 documents a day). eqlwatch deletes them itself rather than through
 * ILM: the history shares its index with the checkpoints, which must never go, and ILM deletes only
 * whole indices. Deleting by a date range works on every cluster, ILM or not.
 */
public final class HistoryRetention {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);

    private final ElasticsearchRunStateStore store;
    private final Duration keep;
    private final Clock clock;

    public HistoryRetention(ElasticsearchRunStateStore store, Duration keep, Clock clock) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("the history retention must be positive, not " + keep);
        }
        this.store = store;
        this.keep = keep;
        this.clock = clock;
    }

    /**
     * Deletes executions that started more than the retention ago; a failure is logged and left for
     * the next pass, because an unpruned history costs disk, not detections.
     *
     * @return how many were deleted; 0 after a failure
     */
    public long prune() {
        Instant cutoff = clock.instant().minus(keep);
        try {
            long deleted = store.deleteExecutionsStartedBefore(cutoff);
            if (deleted > 0) {
                LOG.info("execution history: deleted {} execution(s) that started before {}", deleted, cutoff);
            }
            return deleted;
        } catch (RuntimeException e) {
            LOG.warn("execution history: pruning failed, retrying at the next pass: {}", e.getMessage());
            return 0;
        }
    }
}
