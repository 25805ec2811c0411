package io.eqlwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.engine.Match;
import io.eqlwatch.es.RetryPolicy;
import io.eqlwatch.schedule.CappedWrite;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertWriterIT {

    private static final ElasticsearchHarness es = ElasticsearchHarness.shared();
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private final ElasticsearchClient client = es.client();
    private AlertIndexSettings settings;

    @BeforeEach
    void prepareIndex() throws IOException {
        settings = AlertIndexSettings.named(es.uniqueIndexName("eqlwatch-alerts"));
        new AlertIndexInstaller(client, settings).install();
    }

    private AlertWriter writer() {
        return new AlertWriter(
                client, settings.name(), AlertWriter.Options.defaults().withRefreshWaitFor(true));
    }

    /** Writes as the run loop does: de-duplicated against the index and capped at {@code max_signals}. */
    private interface Capped {
        WriteSummary write(List<AlertGroup> groups, int maxSignals) throws AlertWriteException;
    }

    private static Capped capped(AlertWriter writer) {
        return (groups, maxSignals) ->
                new CappedWrite(writer).write(groups, maxSignals).summary();
    }

    /** {@code count} SMB transfers on distinct hosts, ten seconds apart from {@code first}. */
    private static List<Match> matches(int first, int count) {
        List<Match> out = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            String host = String.format("host-%04d", i);
            out.add(AlertFixtures.smbMatch(String.valueOf(i), host, "WKS-" + i, T0.plusSeconds(10L * i)));
        }
        return out;
    }

    /** One run as the pipeline runs it: a fresh builder (as after a restart), its own execution and clock. */
    private WriteSummary run(List<Match> matches, int maxSignals, Instant now) throws IOException {
        AlertBuilder builder = new AlertBuilder(AlertFixtures.smbRule(maxSignals));
        return capped(writer()).write(builder.buildAll(matches, "exec-" + now.toEpochMilli(), now), maxSignals);
    }

    private long count(String kqlField, String value) throws IOException {
        return client.count(c -> c.index(settings.name())
                        .query(q -> q.term(t -> t.field(kqlField).value(value))))
                .count();
    }

    private long shells() throws IOException {
        return client.count(c -> c.index(settings.name())
                        .query(q -> q.bool(
                                b -> b.mustNot(m -> m.exists(e -> e.field("kibana.alert.building_block_type"))))))
                .count();
    }

    private long documents() throws IOException {
        return client.count(c -> c.index(settings.name())).count();
    }

    @Test
    void aSequenceIsWrittenAsItsBuildingBlocksAndShellUnderOneGroup() throws IOException {
        List<AlertGroup> groups = new AlertBuilder(AlertFixtures.smbRule()).buildAll(matches(1, 1), "exec", T0);
        WriteSummary summary = capped(writer()).write(groups, 100);

        assertEquals(new WriteSummary(1, 3, 0, 0, List.of(), null), summary);
        assertEquals(3, count("kibana.alert.group.id", groups.get(0).id()));
        JsonNode shell = client.get(
                        g -> g.index(settings.name()).id(groups.get(0).id()), JsonNode.class)
                .source();
        assertEquals(groups.get(0).id(), shell.get("kibana.alert.uuid").asText());
        assertEquals(2, shell.get("kibana.alert.depth").asInt());
    }

    @Test
    void writingTheSameMatchesAgainWritesNothing() throws IOException {
        run(matches(1, 3), 100, T0.plusSeconds(300));
        WriteSummary again = run(matches(1, 3), 100, T0.plusSeconds(600));

        assertEquals(new WriteSummary(0, 0, 3, 0, List.of(), null), again);
        assertEquals(9, documents());
        // The first write stands: the re-run did not overwrite the alerts with its own clock.
        assertEquals(
                9,
                client.count(c -> c.index(settings.name())
                                .query(q -> q.term(
                                        t -> t.field("@timestamp").value(FieldValue.of("2024-05-01T10:05:00.000Z")))))
                        .count());
    }

    @Test
    void overlappingRunsAndARestartWriteEachAlertExactlyOnce() throws IOException {
        // Windows that overlap the way now-9m every 5m does: each run sees the previous run's
        // last matches again. Every run uses a fresh builder and writer, as a restarted daemon does.
        WriteSummary first = run(matches(0, 4), 100, T0.plusSeconds(300));
        WriteSummary second = run(matches(2, 4), 100, T0.plusSeconds(600));
        WriteSummary third = run(matches(4, 4), 100, T0.plusSeconds(900));
        WriteSummary afterRestart = run(matches(0, 8), 100, T0.plusSeconds(1200));

        assertEquals(
                List.of(4, 2, 2, 0),
                List.of(
                        first.writtenSequences(),
                        second.writtenSequences(),
                        third.writtenSequences(),
                        afterRestart.writtenSequences()));
        assertEquals(
                List.of(0, 2, 2, 8),
                List.of(
                        first.duplicatesSkipped(),
                        second.duplicatesSkipped(),
                        third.duplicatesSkipped(),
                        afterRestart.duplicatesSkipped()));
        assertEquals(8, shells());
        assertEquals(24, documents());
        Set<String> groupIds = new HashSet<>();
        for (Hit<JsonNode> hit : client.search(s -> s.index(settings.name()).size(100), JsonNode.class)
                .hits()
                .hits()) {
            if (!hit.source().has("kibana.alert.building_block_type")) {
                assertTrue(
                        groupIds.add(hit.source().get("kibana.alert.group.id").asText()), "one shell per sequence");
            }
        }
    }

    @Test
    void aMatchFoundTwiceInOneRunIsWrittenAndCountedOnce() throws IOException {
        // A catch-up run reads overlapping windows and the engine finds the overlap's matches twice.
        List<Match> twice = new ArrayList<>(matches(1, 3));
        twice.addAll(matches(3, 2));
        WriteSummary summary = run(twice, 100, T0.plusSeconds(300));
        assertEquals(new WriteSummary(4, 12, 1, 0, List.of(), null), summary);
        assertEquals(4, shells());
    }

    @Test
    void alertsNotYetSearchableDoNotCrowdOutNewOnesUnderTheCap() throws IOException {
        // A catch-up run writes window after window faster than the index refreshes; refresh is
        // off here so that the second write cannot see the first one's alerts by searching.
        client.indices()
                .putSettings(p -> p.index(settings.firstIndex()).settings(s -> s.refreshInterval(r -> r.time("-1"))));
        try {
            AlertWriter writer = new AlertWriter(client, settings.name());
            AlertBuilder builder = new AlertBuilder(AlertFixtures.smbRule(2));
            WriteSummary first = capped(writer).write(builder.buildAll(matches(1, 2), "exec", T0), 2);
            List<Match> overlapAndNew = new ArrayList<>(matches(1, 2));
            overlapAndNew.addAll(matches(3, 2));
            WriteSummary second = capped(writer).write(builder.buildAll(overlapAndNew, "exec", T0), 2);

            assertEquals(new WriteSummary(2, 6, 0, 0, List.of(), null), first);
            assertEquals(new WriteSummary(2, 6, 2, 0, List.of(), null), second);
        } finally {
            client.indices().putSettings(p -> p.index(settings.firstIndex())
                    .settings(s -> s.refreshInterval(r -> r.time("1s"))));
        }
        es.refresh(settings.name());
        assertEquals(4, shells());
    }

    @Test
    void theCapWritesOneHundredOfOneHundredFiftyAndTheNextRunTheOtherFifty() throws IOException {
        List<Match> window = matches(0, 150);

        WriteSummary first = run(window, 100, T0.plusSeconds(1500));
        assertEquals(100, first.writtenSequences());
        assertEquals(300, first.writtenDocuments());
        assertEquals(50, first.droppedByCap());
        assertEquals(0, first.duplicatesSkipped());
        assertEquals(1, first.warnings().size());
        assertTrue(
                first.warnings().get(0).startsWith(CappedWrite.CAP_WARNING),
                first.warnings().get(0));
        assertTrue(first.warnings().get(0).contains("50"), first.warnings().get(0));
        assertEquals(T0.plusSeconds(10L * 100), first.oldestDropped(), "the 101st match, in match order");
        assertEquals(100, shells());

        // The same window again: the 100 written ones are duplicates and do not count against the cap.
        WriteSummary second = run(window, 100, T0.plusSeconds(1800));
        assertEquals(new WriteSummary(50, 150, 100, 0, List.of(), null), second);
        assertEquals(150, shells());
        assertEquals(450, documents());
    }

    @Test
    void anAlertCreatedMeanwhileAnswers409AndCountsAsADuplicate() throws IOException {
        // Another writer got there between the existence lookup and the bulk: simulated by indexing
        // with refresh disabled, so the lookup (a search) cannot see the documents yet.
        client.indices()
                .putSettings(p -> p.index(settings.firstIndex()).settings(s -> s.refreshInterval(r -> r.time("-1"))));
        AlertGroup whole =
                new AlertBuilder(AlertFixtures.smbRule()).build(matches(1, 1).get(0), "other", T0);
        AlertGroup shellOnly =
                new AlertBuilder(AlertFixtures.smbRule()).build(matches(2, 1).get(0), "other", T0);
        for (AlertDocument document : whole.documents()) {
            client.create(c -> c.index(settings.name()).id(document.id()).document(document.source()));
        }
        client.create(c -> c.index(settings.name())
                .id(shellOnly.id())
                .document(shellOnly.primary().source()));

        // No refresh=wait_for here: with refresh disabled it would wait forever.
        WriteSummary summary = capped(new AlertWriter(client, settings.name()))
                .write(
                        new AlertBuilder(AlertFixtures.smbRule()).buildAll(matches(1, 2), "exec", T0.plusSeconds(300)),
                        100);

        // whole: all three 409 -> a duplicate; shellOnly: its two building blocks are created.
        assertEquals(new WriteSummary(1, 2, 1, 0, List.of(), null), summary);
        client.indices()
                .putSettings(p -> p.index(settings.firstIndex()).settings(s -> s.refreshInterval(r -> r.time("1s"))));
        es.refresh(settings.name());
        assertEquals(6, documents());
    }

    @Test
    void aRefusedDocumentFailsWithTheIndexTheIdAndTheReason() throws IOException {
        client.indices().putSettings(p -> p.index(settings.firstIndex()).settings(s -> s.blocks(b -> b.write(true))));
        try {
            List<AlertGroup> groups = new AlertBuilder(AlertFixtures.smbRule()).buildAll(matches(1, 1), "exec", T0);
            AlertWriteException error = assertThrows(
                    AlertWriteException.class, () -> capped(writer()).write(groups, 100));
            assertTrue(error.getMessage().contains(settings.firstIndex()), error.getMessage());
            assertTrue(error.getMessage().contains(groups.get(0).id()), error.getMessage());
            assertTrue(error.getMessage().contains("cluster_block_exception"), error.getMessage());
            assertEquals(0, error.partial().writtenDocuments());
        } finally {
            client.indices()
                    .putSettings(p -> p.index(settings.firstIndex()).settings(s -> s.blocks(b -> b.write(false))));
        }
    }

    @Test
    void aTransientRejectionIsRetriedUntilItPasses() throws Exception {
        // The flood-stage disk block answers 429: Elasticsearch's "try again later".
        client.indices().putSettings(p -> p.index(settings.firstIndex())
                .settings(s -> s.blocks(b -> b.readOnlyAllowDelete(true))));
        CompletableFuture<Void> lift = CompletableFuture.runAsync(
                () -> {
                    try {
                        client.indices().putSettings(p -> p.index(settings.firstIndex())
                                .settings(s -> s.blocks(b -> b.readOnlyAllowDelete(false))));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                },
                CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS));

        AlertWriter patient = new AlertWriter(
                client,
                settings.name(),
                AlertWriter.Options.defaults()
                        .withRefreshWaitFor(true)
                        .withRetry(new RetryPolicy(20, Duration.ofMillis(200), Duration.ofMillis(400))));
        List<AlertGroup> groups = new AlertBuilder(AlertFixtures.smbRule()).buildAll(matches(1, 2), "exec", T0);
        WriteSummary summary = capped(patient).write(groups, 100);
        lift.get(10, TimeUnit.SECONDS);

        assertEquals(new WriteSummary(2, 6, 0, 0, List.of(), null), summary);
        assertEquals(6, documents());
    }

    @Test
    void aMissingAliasIsAnErrorNotAnUnmappedIndex() throws IOException {
        String missing = es.uniqueIndexName("eqlwatch-alerts-missing");
        List<AlertGroup> groups = new AlertBuilder(AlertFixtures.smbRule()).buildAll(matches(1, 1), "exec", T0);
        AlertWriteException error =
                assertThrows(AlertWriteException.class, () -> capped(new AlertWriter(client, missing))
                        .write(groups, 100));
        assertTrue(error.getMessage().contains(missing), error.getMessage());
        assertTrue(!client.indices().exists(e -> e.index(missing)).value(), "no index may be auto-created");
    }
}
