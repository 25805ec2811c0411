package io.eqlwatch.bench;

import io.eqlwatch.engine.Match;
import io.eqlwatch.event.Event;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Receives the engine's matches and checks each against what {@link SyntheticEventStream} planted:
 * a match must be the connection and the file write of one planted transfer, in that order, and no
 * transfer may be matched twice. Holds one bit per transfer, not the matches.
 */
public final class PlantedMatchCheck implements Consumer<Match> {

    private static final int EXAMPLES = 5;

    private final BitSet matched = new BitSet();
    private final List<String> unexpected = new ArrayList<>();
    private long found;
    private long unexpectedCount;

    @Override
    public void accept(Match match) {
        found++;
        int k = plantedNumber(match);
        if (k < 0 || matched.get(k)) {
            unexpectedCount++;
            if (unexpected.size() < EXAMPLES) {
                unexpected.add((k >= 0 ? "transfer " + k + " matched twice: " : "")
                        + match.events().stream()
                                .map(e -> e.id() + "@" + e.timestamp())
                                .toList());
            }
            return;
        }
        matched.set(k);
    }

    /** Matches received. */
    public long found() {
        return found;
    }

    /**
     * Compares with the stream that was fed: every planted transfer found once, nothing else.
     *
     * @return {@code null} when they agree, else what differs
     */
    public String verify(SyntheticEventStream stream) {
        SyntheticEventStream.Tally tally = stream.tally();
        List<String> problems = new ArrayList<>();
        List<Integer> missed = new ArrayList<>();
        long missedCount = 0;
        for (int k = 0; k < tally.attacksStarted(); k++) {
            if (stream.isPlanted(k) && !matched.get(k)) {
                missedCount++;
                if (missed.size() < EXAMPLES) {
                    missed.add(k);
                }
            }
        }
        if (missedCount > 0) {
            problems.add(missedCount + " planted transfer(s) not found, e.g. "
                    + missed.stream()
                            .map(k -> SyntheticEventStream.ATTACK_PREFIX + k)
                            .toList());
        }
        if (unexpectedCount > 0) {
            problems.add(unexpectedCount + " match(es) that were not planted, e.g. " + unexpected);
        }
        if (found != tally.planted() && problems.isEmpty()) {
            problems.add(found + " matches found but " + tally.planted() + " planted");
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** The planted transfer a match is, or -1 when it is not exactly one planted connection and its file write. */
    static int plantedNumber(Match match) {
        if (match.events().size() != 2) {
            return -1;
        }
        Event network = match.events().get(0);
        Event file = match.events().get(1);
        int k = number(network.id(), SyntheticEventStream.NETWORK_SUFFIX);
        return k >= 0 && k == number(file.id(), SyntheticEventStream.FILE_SUFFIX) ? k : -1;
    }

    private static int number(String id, String suffix) {
        if (!id.startsWith(SyntheticEventStream.ATTACK_PREFIX) || !id.endsWith(suffix)) {
            return -1;
        }
        try {
            return Integer.parseInt(
                    id.substring(SyntheticEventStream.ATTACK_PREFIX.length(), id.length() - suffix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
