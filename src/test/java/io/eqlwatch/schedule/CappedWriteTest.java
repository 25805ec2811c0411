package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.alert.AlertBuilder;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.alert.WriteSummary;
import io.eqlwatch.engine.Match;
import io.eqlwatch.event.Event;
import io.eqlwatch.testing.InMemoryAlertSink;
import io.eqlwatch.testing.SmbTestData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cap on a sink in memory: new matches only, earliest first, a match found twice written once. */
class CappedWriteTest {

    private static final Instant T0 = Instant.parse("2026-11-28T11:50:00Z");

    private final InMemoryAlertSink sink = new InMemoryAlertSink();
    private final AlertBuilder builder = new AlertBuilder(SmbTestData.rule(100), "default");

    private List<AlertGroup> groups(int first, int count) {
        List<AlertGroup> out = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            List<Event> transfer = SmbTestData.transfer("host-" + i, T0.plusSeconds(10L * i));
            out.add(builder.build(new Match(transfer, List.of("host-" + i)), "exec", T0.plusSeconds(600)));
        }
        return out;
    }

    @Test
    void theBudgetKeepsTheEarliestNewMatchesAndSaysHowManyWereDropped() throws AlertWriteException {
        CappedWrite.Result result = new CappedWrite(sink).write(groups(0, 5), 3);

        WriteSummary summary = result.summary();
        assertEquals(3, summary.writtenSequences());
        assertEquals(9, summary.writtenDocuments());
        assertEquals(2, summary.droppedByCap());
        assertEquals(T0.plusSeconds(30), summary.oldestDropped());
        assertTrue(
                summary.warnings().get(0).startsWith(CappedWrite.CAP_WARNING),
                summary.warnings().toString());
        assertEquals(groups(0, 3).stream().map(AlertGroup::id).toList(), result.createdIds());
    }

    @Test
    void matchesThatExistAlreadyDoNotCountAgainstTheBudget() throws AlertWriteException {
        new CappedWrite(sink).write(groups(0, 3), 100);

        CappedWrite.Result again = new CappedWrite(sink).write(groups(0, 5), 2);

        assertEquals(new WriteSummary(2, 6, 3, 0, List.of(), null), again.summary());
        assertEquals(5, sink.primaries().size());
    }

    @Test
    void aMatchFoundTwiceInOneWindowIsOneAlert() throws AlertWriteException {
        List<AlertGroup> twice = new ArrayList<>(groups(0, 2));
        twice.addAll(groups(1, 2));

        WriteSummary summary = new CappedWrite(sink).write(twice, 100).summary();

        assertEquals(3, summary.writtenSequences());
        assertEquals(1, summary.duplicatesSkipped());
    }

    @Test
    void aBudgetBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CappedWrite(sink).write(groups(0, 1), 0));
    }
}
