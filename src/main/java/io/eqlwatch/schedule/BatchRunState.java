package io.eqlwatch.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run state as one batch of executions sees it: every checkpoint read up front in one request,
 * checkpoint moves and execution records kept until {@link #flush}, which writes them in one
 * request. Gaps and the history go straight to the store (they are rare, or read only).
 *
 * <p>Deferring the writes loses nothing a restart needs: until the flush the store still holds the
 * checkpoints the batch started from, so a process killed mid-batch reads those windows again, and
 * the alerts already written are then skipped as duplicates by their ids.
 */
final class BatchRunState implements RunStateStore {

    private final RunStateStore store;
    private final Map<String, Instant> atStart;
    private final Map<String, Instant> moved = new LinkedHashMap<>();
    private final List<ExecutionSummary> executions = new ArrayList<>();

    private BatchRunState(RunStateStore store, Map<String, Instant> atStart) {
        this.store = store;
        this.atStart = atStart;
    }

    /** Reads the checkpoints of all the rules of the batch at once. */
    static BatchRunState of(RunStateStore store, Collection<String> ruleIds) {
        return new BatchRunState(store, new LinkedHashMap<>(store.checkpoints(ruleIds)));
    }

    @Override
    public synchronized Optional<Instant> checkpoint(String ruleId) {
        Instant at = moved.get(ruleId);
        return Optional.ofNullable(at != null ? at : atStart.get(ruleId));
    }

    @Override
    public void saveCheckpoint(String ruleId, Instant checkpoint) {
        advanceCheckpoint(ruleId, checkpoint);
    }

    @Override
    public synchronized Instant advanceCheckpoint(String ruleId, Instant to) {
        Optional<Instant> current = checkpoint(ruleId);
        if (current.isPresent() && !to.isAfter(current.get())) {
            return current.get();
        }
        moved.put(ruleId, to);
        return to;
    }

    @Override
    public Optional<String> lastExecutionNode(String ruleId) {
        return store.lastExecutionNode(ruleId);
    }

    @Override
    public synchronized void recordExecution(ExecutionSummary summary) {
        executions.add(summary);
    }

    @Override
    public void recordGap(String ruleId, TimeWindow gap, String backfillCommand) {
        store.recordGap(ruleId, gap, backfillCommand);
    }

    @Override
    public void clearGapsWithin(String ruleId, TimeWindow covered) {
        store.clearGapsWithin(ruleId, covered);
    }

    @Override
    public List<ExecutionSummary> executions(String ruleId, int limit) {
        return store.executions(ruleId, limit);
    }

    @Override
    public List<RecordedGap> gaps(String ruleId) {
        return store.gaps(ruleId);
    }

    /**
     * Writes the moved checkpoints and the executions in one request.
     *
     * @return for each rule whose state could not be recorded, why
     */
    synchronized Map<String, String> flush() {
        Map<String, String> failures = store.recordBatch(new LinkedHashMap<>(moved), List.copyOf(executions));
        moved.clear();
        executions.clear();
        return failures;
    }
}
