package io.eqlwatch.schedule;

import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.alert.WriteResult;
import io.eqlwatch.alert.WriteSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one window's alerts exactly once and within a budget of new matches: the one place where
 * a rule's {@code max_signals} applies.
 *
 * <ol>
 *   <li>A match found twice (overlapping windows, or twice in one window) is one alert.</li>
 *   <li>Matches whose alerts all exist already are duplicates; the budget applies to the new
 *       matches only, so old matches in the look-back overlap never crowd out new ones, and the
 *       new matches over the budget have no alert yet: the next run over a window that still holds
 *       them writes them.</li>
 *   <li>The earliest new matches (in match order) are kept and handed to the sink.</li>
 * </ol>
 */
public final class CappedWrite {

    /** Kibana's own warning when a rule execution hits {@code max_signals}. */
    public static final String CAP_WARNING =
            "This rule reached the maximum alert limit for the rule execution. Some alerts were not created.";

    /** A budget that never runs out: backfill and preview write every match. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(CappedWrite.class);

    private final AlertSink sink;

    public CappedWrite(AlertSink sink) {
        this.sink = sink;
    }

    /** What a write did, and the ids of the alerts it created (for whoever watches the sink's output). */
    public record Result(WriteSummary summary, List<String> createdIds) {
        public Result {
            createdIds = List.copyOf(createdIds);
        }
    }

    /**
     * @param groups the matches as alerts, in match order (earliest first)
     * @param budget new matches that may be written, at least 1
     */
    public Result write(List<AlertGroup> groups, int budget) throws AlertWriteException {
        return write(groups, budget, UnaryOperator.identity());
    }

    /**
     * @param groups   the matches as alerts, in match order (earliest first)
     * @param budget   new matches that may be written, at least 1
     * @param complete turns the groups about to be written (the new ones within the budget) into the groups
     *                 written, same ids in the same order: where the read left the events' sources partial,
     *                 it fetches them whole, for those matches alone
     */
    public Result write(List<AlertGroup> groups, int budget, UnaryOperator<List<AlertGroup>> complete)
            throws AlertWriteException {
        return write(groups, budget, budget, complete);
    }

    /**
     * @param groups     the matches as alerts, in match order (earliest first)
     * @param budget     new matches that may be written, at least 1: what the run's earlier windows left of
     *                   {@code maxSignals}
     * @param maxSignals the run's whole budget, which the warning names
     * @param complete   as in {@link #write(List, int, UnaryOperator)}
     */
    public Result write(List<AlertGroup> groups, int budget, int maxSignals, UnaryOperator<List<AlertGroup>> complete)
            throws AlertWriteException {
        if (budget < 1) {
            throw new IllegalArgumentException("max_signals must be at least 1, was " + budget);
        }
        if (groups.isEmpty()) {
            return new Result(WriteSummary.empty(), List.of());
        }
        List<String> ids = new ArrayList<>();
        groups.forEach(group -> ids.addAll(group.documentIds()));
        Set<String> existing = sink.existing(ids);

        List<AlertGroup> fresh = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int alreadyThere = 0;
        for (AlertGroup group : groups) {
            if (!seen.add(group.id()) || existing.containsAll(group.documentIds())) {
                alreadyThere++;
            } else {
                fresh.add(group);
            }
        }
        List<AlertGroup> kept = fresh.subList(0, Math.min(budget, fresh.size()));
        List<AlertGroup> dropped = fresh.subList(kept.size(), fresh.size());

        List<String> warnings = new ArrayList<>();
        Instant oldestDropped = null;
        if (!dropped.isEmpty()) {
            oldestDropped = dropped.stream()
                    .map(AlertGroup::originalTime)
                    .min(Instant::compareTo)
                    .orElseThrow();
            String warning = CAP_WARNING + " " + dropped.size() + " new match(es) beyond max_signals=" + maxSignals
                    + " were not written this run; a later run whose window still holds their events writes them"
                    + " (oldest dropped event at " + oldestDropped + ").";
            warnings.add(warning);
            LOG.warn("rule '{}': {}", ruleName(dropped.get(0)), warning);
        }
        WriteResult written;
        try {
            written = sink.write(new ArrayList<>(kept.isEmpty() ? kept : complete.apply(kept)));
        } catch (AlertWriteException e) {
            WriteSummary partial = e.partial();
            throw new AlertWriteException(
                    e.getMessage(),
                    new WriteSummary(
                            partial.writtenSequences(),
                            partial.writtenDocuments(),
                            partial.duplicatesSkipped() + alreadyThere,
                            dropped.size(),
                            warnings,
                            oldestDropped),
                    e.getCause());
        }
        WriteSummary summary = new WriteSummary(
                written.createdIds().size(),
                written.writtenDocuments(),
                alreadyThere + written.duplicates(),
                dropped.size(),
                warnings,
                oldestDropped);
        return new Result(summary, written.createdIds());
    }

    private static String ruleName(AlertGroup group) {
        var name = group.primary().source().get("kibana.alert.rule.name");
        return name == null ? "?" : name.asText();
    }
}
