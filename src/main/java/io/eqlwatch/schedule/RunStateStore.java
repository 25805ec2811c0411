package io.eqlwatch.schedule;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where checkpoints, the execution history and recorded gaps live, so that a restart, a crash or a
 * second machine resumes exactly where the last successful window ended.
 */
public interface RunStateStore {

    /** The end of the last fully successful window of the rule, if it ever had one. */
    Optional<Instant> checkpoint(String ruleId);

    /**
     * The checkpoints of several rules, for a batch of executions; a rule that never had one is
     * absent. A store that can read them in one request overrides this.
     */
    default Map<String, Instant> checkpoints(Collection<String> ruleIds) {
        Map<String, Instant> out = new LinkedHashMap<>();
        for (String ruleId : ruleIds) {
            checkpoint(ruleId).ifPresent(at -> out.put(ruleId, at));
        }
        return out;
    }

    /**
     * Records what a batch of executions did: each rule's checkpoint moved forward to the instant
     * given (never backwards, as {@link #advanceCheckpoint}), and the executions appended to the
     * history. A store that can write them in one request overrides this.
     *
     * @return for each rule whose checkpoint or execution could not be recorded, why; empty when all were
     */
    default Map<String, String> recordBatch(Map<String, Instant> checkpoints, List<ExecutionSummary> executions) {
        Map<String, String> failures = new LinkedHashMap<>();
        checkpoints.forEach((ruleId, to) -> {
            try {
                advanceCheckpoint(ruleId, to);
            } catch (RuntimeException e) {
                failures.put(ruleId, e.getMessage());
            }
        });
        for (ExecutionSummary execution : executions) {
            try {
                recordExecution(execution);
            } catch (RuntimeException e) {
                failures.putIfAbsent(execution.ruleId(), e.getMessage());
            }
        }
        return failures;
    }

    /** Moves the checkpoint; called only after a window's alerts are all written. Never moves it backwards. */
    void saveCheckpoint(String ruleId, Instant checkpoint);

    /**
     * Moves the checkpoint to {@code to} unless it already stands there or later, and returns where it
     * stands afterwards. A result later than {@code to} means another process (a second node, a
     * backfill) recorded that work first: the caller must not redo it.
     *
     * <p>This default is only as safe as {@link #checkpoint} and {@link #saveCheckpoint} together;
     * a store shared by several processes overrides it with a compare-and-set.
     */
    default Instant advanceCheckpoint(String ruleId, Instant to) {
        Optional<Instant> current = checkpoint(ruleId);
        if (current.isPresent() && !to.isAfter(current.get())) {
            return current.get();
        }
        saveCheckpoint(ruleId, to);
        return to;
    }

    /** The node that recorded the rule's latest execution, when the store knows it. */
    default Optional<String> lastExecutionNode(String ruleId) {
        return Optional.empty();
    }

    /** Appends an execution to the history. */
    void recordExecution(ExecutionSummary summary);

    /** Records a range the catch-up could not cover, with the command that fills it. */
    void recordGap(String ruleId, TimeWindow gap, String backfillCommand);

    /** Forgets the recorded gaps of a rule that lie wholly inside a range a backfill has now covered. */
    void clearGapsWithin(String ruleId, TimeWindow covered);

    /** The latest executions of a rule, newest first. */
    List<ExecutionSummary> executions(String ruleId, int limit);

    /** The recorded gaps of a rule, oldest first. */
    List<RecordedGap> gaps(String ruleId);

    /** A range left unread, and how to fill it. */
    record RecordedGap(String ruleId, TimeWindow range, String backfillCommand) {}
}
