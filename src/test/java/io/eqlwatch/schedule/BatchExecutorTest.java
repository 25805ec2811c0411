package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.alert.WriteResult;
import io.eqlwatch.alert.WriteSummary;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.EventCursor;
import io.eqlwatch.source.EventSource;
import io.eqlwatch.source.FieldTypeLookup;
import io.eqlwatch.source.ReadRequest;
import io.eqlwatch.testing.InMemoryAlertSink;
import io.eqlwatch.testing.InMemoryEventSource;
import io.eqlwatch.testing.InMemoryRunStateStore;
import io.eqlwatch.testing.SmbTestData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What a batch tells its listeners (metrics, health, notifications): each outcome as it was recorded. */
class BatchExecutorTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private final InMemoryEventSource events = new InMemoryEventSource(SmbTestData.TYPES);
    private final InMemoryAlertSink alerts = new InMemoryAlertSink();

    /** Refuses the batch's write of one rule's checkpoint, as a cluster refusing one bulk item does. */
    private final InMemoryRunStateStore state = new InMemoryRunStateStore() {
        @Override
        public Map<String, String> recordBatch(Map<String, Instant> checkpoints, List<ExecutionSummary> executions) {
            Map<String, Instant> accepted = new LinkedHashMap<>(checkpoints);
            accepted.remove("refused");
            Map<String, String> failures = new LinkedHashMap<>(super.recordBatch(accepted, executions));
            failures.put("refused", "version conflict on the checkpoint");
            return failures;
        }
    };

    private final List<String> told = new ArrayList<>();

    @Test
    void listenersAreToldAfterTheBatchIsRecordedAndOfARefusedCheckpointAsAFailure() {
        events.addAll(SmbTestData.transfers(2, NOW.minusSeconds(200)));
        Rule kept = SmbTestData.rule(100).toBuilder().identity("kept", "Kept").build();
        Rule refused =
                SmbTestData.rule(100).toBuilder().identity("refused", "Refused").build();
        ExecutionListener listener = (rule, summary, created) -> told.add(rule.ruleId()
                + (summary.failed() ? " failed: " + summary.error() : " ok")
                + ", " + created.size() + " created, recorded before: "
                + !state.executions(rule.ruleId(), 1).isEmpty());
        RuleExecutor executor = new RuleExecutor(
                indices -> SmbTestData.TYPES,
                new RunLoop(new WindowDetection(events, 100), "default"),
                alerts,
                state,
                new WindowPlanner(Duration.ofHours(24)),
                Clock.fixed(NOW, ZoneOffset.UTC),
                List.of(listener));

        List<ExecutionSummary> summaries =
                new BatchExecutor(executor, events, 100).execute(List.of(kept, refused), NOW);

        assertNull(summaries.get(0).error());
        assertTrue(summaries.get(1).failed());
        assertEquals(
                List.of(
                        "kept ok, 2 created, recorded before: true",
                        "refused failed: its checkpoint or execution could not be recorded: version conflict on the"
                                + " checkpoint, 2 created, recorded before: true"),
                told);
    }

    @Test
    void onWorkersTheRulesOfABatchWriteTheirAlertsAtTheSameTimeNotEachWaitingForTheLast() throws Exception {
        events.addAll(SmbTestData.transfers(1, NOW.minusSeconds(200)));
        CyclicBarrier bothWriting = new CyclicBarrier(2);
        AlertSink meetingSink = new AlertSink() {
            @Override
            public Set<String> existing(Collection<String> documentIds) {
                return alerts.existing(documentIds);
            }

            @Override
            public WriteResult write(List<AlertGroup> groups) throws AlertWriteException {
                try {
                    // Sequential executions would never meet here: the first would wait alone and time out.
                    bothWriting.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new AlertWriteException(
                            "the other rule never wrote at the same time", WriteSummary.empty(), e);
                }
                return alerts.write(groups);
            }
        };
        RuleExecutor executor = new RuleExecutor(
                indices -> SmbTestData.TYPES,
                new RunLoop(new WindowDetection(events, 100), "default"),
                meetingSink,
                new InMemoryRunStateStore(),
                new WindowPlanner(Duration.ofHours(24)),
                Clock.fixed(NOW, ZoneOffset.UTC),
                List.of());
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            List<ExecutionSummary> summaries = new BatchExecutor(executor, events, 100)
                    .on(workers)
                    .execute(
                            List.of(
                                    SmbTestData.rule(100).toBuilder()
                                            .identity("a", "A")
                                            .build(),
                                    SmbTestData.rule(100).toBuilder()
                                            .identity("b", "B")
                                            .build()),
                            NOW);
            assertEquals(
                    List.of("a", "b"),
                    summaries.stream().map(ExecutionSummary::ruleId).toList());
            for (ExecutionSummary summary : summaries) {
                assertNull(summary.error(), summary.error());
                assertEquals(1, summary.alertsWritten());
            }
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void twoGroupsOfRulesReadTheirSharedReadsAtTheSameTimeNotOneAfterTheOther() {
        events.addAll(SmbTestData.transfers(1, NOW.minusSeconds(100)));
        CyclicBarrier bothReading = new CyclicBarrier(2);
        Set<String> windowsRead = ConcurrentHashMap.newKeySet();
        List<Boolean> met = Collections.synchronizedList(new ArrayList<>());
        EventSource meeting = new EventSource() {
            @Override
            public EventCursor read(ReadRequest request) {
                // a group's first read (each group reads its own window field; a group may read more than once)
                if (windowsRead.add(request.rangeField())) {
                    try {
                        // One read after the other would never meet here: the first would wait alone.
                        bothReading.await(10, TimeUnit.SECONDS);
                        met.add(true);
                    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                        met.add(false);
                    }
                }
                return events.read(request);
            }

            @Override
            public long count(ReadRequest request) {
                return events.count(request);
            }
        };
        // the indices the patterns reach, as a cluster's resolve lists them: rules share reads over them
        FieldTypeLookup resolving =
                new ResolvedIndices(SmbTestData.TYPES, List.of(SmbTestData.NETWORK_INDEX, SmbTestData.FILE_INDEX));
        RuleExecutor executor = new RuleExecutor(
                resolving,
                new RunLoop(new WindowDetection(meeting, 100), "default"),
                alerts,
                new InMemoryRunStateStore(),
                new WindowPlanner(Duration.ofHours(24)),
                Clock.fixed(NOW, ZoneOffset.UTC),
                List.of());
        // Event queries, which join a union whatever their candidates (a rare sequence reads alone); c and d
        // select their window by event.ingested, not a and b's window field, so they share another read.
        String eql = "network where process.pid == 4";
        Rule byTime = SmbTestData.rule(eql, 100, null);
        Rule byIngest = SmbTestData.rule(eql, 100, "event.ingested");
        List<Rule> rules = List.of(
                byTime.toBuilder().identity("a", "A").build(),
                byTime.toBuilder().identity("b", "B").build(),
                byIngest.toBuilder().identity("c", "C").build(),
                byIngest.toBuilder().identity("d", "D").build());

        List<ExecutionSummary> summaries = new BatchExecutor(executor, meeting, 100).execute(rules, NOW);

        assertEquals(List.of(true, true), met, "the two groups' reads were in flight together");
        for (ExecutionSummary summary : summaries) {
            assertNull(summary.error(), summary.error());
            assertEquals(1, summary.alertsWritten(), summary.ruleId());
        }
    }
}
