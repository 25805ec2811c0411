package io.eqlwatch.testing;

import io.eqlwatch.schedule.ExecutionSummary;
import io.eqlwatch.schedule.RunStateStore;
import io.eqlwatch.schedule.TimeWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Run state in memory: checkpoints, the execution history and recorded gaps, as the state index keeps them. */
public class InMemoryRunStateStore implements RunStateStore {

    private final Map<String, Instant> checkpoints = new HashMap<>();
    private final List<ExecutionSummary> executions = new ArrayList<>();
    private final List<RecordedGap> gaps = new ArrayList<>();
    private final List<Instant> checkpointWrites = new ArrayList<>();

    @Override
    public synchronized Optional<Instant> checkpoint(String ruleId) {
        return Optional.ofNullable(checkpoints.get(ruleId));
    }

    @Override
    public synchronized void saveCheckpoint(String ruleId, Instant checkpoint) {
        checkpoints.put(ruleId, checkpoint);
        checkpointWrites.add(checkpoint);
    }

    @Override
    public synchronized void recordExecution(ExecutionSummary summary) {
        executions.add(summary);
    }

    @Override
    public synchronized void recordGap(String ruleId, TimeWindow gap, String backfillCommand) {
        gaps.add(new RecordedGap(ruleId, gap, backfillCommand));
    }

    @Override
    public synchronized void clearGapsWithin(String ruleId, TimeWindow covered) {
        gaps.removeIf(g -> g.ruleId().equals(ruleId)
                && !g.range().start().isBefore(covered.start())
                && !g.range().end().isAfter(covered.end()));
    }

    @Override
    public synchronized List<ExecutionSummary> executions(String ruleId, int limit) {
        return executions.stream()
                .filter(e -> e.ruleId().equals(ruleId))
                .sorted(Comparator.comparing(ExecutionSummary::started).reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<RecordedGap> gaps(String ruleId) {
        return gaps.stream()
                .filter(g -> g.ruleId().equals(ruleId))
                .sorted(Comparator.comparing(g -> g.range().start()))
                .toList();
    }

    /** Every checkpoint saved, in order, whatever the key (rule checkpoints and backfill progress). */
    public synchronized List<Instant> checkpointWrites() {
        return List.copyOf(checkpointWrites);
    }
}
