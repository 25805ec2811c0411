package io.eqlwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The execution benchmark against the real Elasticsearch: the rule, run through WindowDetection over the
 * indexed synthetic stream, finds exactly the planted transfers, reading only a small part of what was
 * indexed; reading everything without the push-down finds the same.
 */
class PushDownBenchmarkIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();

    @Test
    void theExecutionFindsThePlantedTransfersAndReadsOnlyWhatThePushDownLetsThrough() {
        Rule rule = new RuleLoader().loadFile(Path.of("rules/lateral_tool_transfer_smb.yml"));
        PushDownBenchmark bench = new PushDownBenchmark(ES.client(), ES.url(), 500);
        String namespace = ES.uniqueIndexName("bench").replace("-", "");
        PushDownBenchmark.Load load = bench.load(new Workload(20_000, 300, 0.002, 0.02, 1000, null, 5), namespace);
        try {
            assertEquals(20_000, ES.client().count(c -> c.index(load.indices())).count());
            long planted = load.stream().tally().planted();
            assertTrue(planted > 10, "planted " + planted);

            PushDownBenchmark.Read detected = bench.detect(rule, load, true);
            assertNull(detected.mismatch());
            assertEquals(planted, detected.matches());
            // the candidates' and transfers' events, and no more than a few percent of the rest
            SyntheticEventStream.Tally tally = load.stream().tally();
            assertTrue(detected.eventsRead() >= tally.candidates() + 2 * planted, "read " + detected.eventsRead());
            assertTrue(detected.eventsRead() < 0.1 * load.events(), "read " + detected.eventsRead());

            PushDownBenchmark.Read all = bench.readAll(rule, load, true);
            assertNull(all.mismatch());
            assertEquals(load.events(), all.eventsRead());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            bench.delete(load);
        }
    }
}
