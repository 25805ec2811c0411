package io.eqlwatch.alert;

import java.time.Instant;
import java.util.List;

/**
 * What one run's alert write did. A "sequence" is one match: a sequence's shell and building
 * blocks, or an event query's single alert.
 *
 * @param writtenSequences  matches that got at least one new document
 * @param writtenDocuments  documents created (building blocks and shells together)
 * @param duplicatesSkipped matches whose alerts were all there already (an earlier run, an
 *                          overlapping window, another process)
 * @param droppedByCap      new matches beyond the rule's {@code max_signals}, not written
 * @param warnings          what the run should report, Kibana's cap warning among them
 * @param oldestDropped     the first event time of the earliest dropped match, {@code null} when
 *                          none was dropped: a scheduler that starts its next window no later than
 *                          this lets the dropped matches be written by the next run
 */
public record WriteSummary(
        int writtenSequences,
        int writtenDocuments,
        int duplicatesSkipped,
        int droppedByCap,
        List<String> warnings,
        Instant oldestDropped) {

    public WriteSummary {
        warnings = List.copyOf(warnings);
    }

    public static WriteSummary empty() {
        return new WriteSummary(0, 0, 0, 0, List.of(), null);
    }
}
