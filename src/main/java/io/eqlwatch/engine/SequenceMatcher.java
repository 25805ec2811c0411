package io.eqlwatch.engine;

import io.eqlwatch.event.Event;
import io.eqlwatch.plan.JoinKey;
import io.eqlwatch.plan.QueryPlan;
import io.eqlwatch.plan.QueryShape;
import io.eqlwatch.plan.StagePlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Streaming matcher of one EQL {@code sequence}, with Elasticsearch's semantics (its
 * {@code SequenceMatcher}/{@code TumblingWindow}), fed one event at a time in stream order.
 *
 * <p>The rules, all as Elasticsearch applies them:
 * <ul>
 * <li>Events join on the sequence's {@code by} keys followed by the stage's own; each value of a
 *     multi-valued key is a key of its own (cartesian product over several keys). An event missing a
 *     required key takes no part; an absent optional key {@code ?f} joins as null.</li>
 * <li>Per join key and stage there is one pending sequence: a stage-k match takes the latest
 *     sequence waiting at the previous stage (all older ones are dropped with it), so a newer
 *     stage-1 match in effect replaces an older one.</li>
 * <li>{@code maxspan} runs from the first event to the event being added and is inclusive.</li>
 * <li>One event may match several stages; it never extends a sequence it has itself just joined.
 *     An event completes at most one sequence (Elasticsearch keeps completed sequences in a set
 *     ordered by their last event, so a second completion by the same event is discarded).</li>
 * <li>{@code until} cancels every sequence in flight for its key.</li>
 * <li>Missing-event stages: a missing event between two matched stages (strictly between their
 *     timestamps) discards the sequence; leading ones (before the first positive stage) and
 *     trailing ones (after the last) discard it only when they fall within {@code maxspan} of the
 *     sequence, with Elasticsearch's exact rule (see {@link #settle}).</li>
 * </ul>
 *
 * <p>Matches are emitted in the order Elasticsearch returns them: ascending by the ordinal of the
 * sequence's last event. Memory grows with open sequences: at most one per join key and stage, plus
 * completed sequences waiting for a trailing missing-event decision (bounded by {@code maxspan}),
 * plus, for missing-event stages, the last two timestamps seen per join key (dropped once older
 * than {@code maxspan}; kept for the whole run when the sequence has no {@code maxspan}).
 */
public final class SequenceMatcher {

    private final Consumer<Match> downstream;
    private final List<PlannedStage> stages;
    /** Each stage as written once (and {@code until}): evaluated once per event, however many runs. */
    private final List<StagePlan> distinctStages;
    /** Per expanded stage, the index of its stage as written in {@link #distinctStages}. */
    private final int[] distinctOf;
    /** The index of {@code until} in {@link #distinctStages}; -1 without one. */
    private final int untilDistinct;
    /**
     * The current event's join keys per stage as written, null where it does not match: reused from event to
     * event, as most events match no stage and must cost no allocation.
     */
    private final List<JoinKey>[] keysByStage;

    private final PlannedStage until;
    private final Duration maxspan;
    private final int firstPositive;
    private final int lastPositive;
    private final int[] previousPositive;
    private final boolean hasLeading;
    private final boolean hasTrailing;
    private final boolean hasMissing;

    private final Map<JoinKey, KeyState> states = new HashMap<>();
    /**
     * Completed sequences by their last event, then by completion: one event may complete several (one per
     * value of a multi-valued key, as test_extra.toml's sequenceWithMultivalue_* cases of Elasticsearch show),
     * and they come out in the order their keys were formed.
     */
    private final TreeMap<CompletionOrder, Candidate> completions = new TreeMap<>();

    private long completed;
    private final PriorityQueue<Candidate> deadlines =
            new PriorityQueue<>(Comparator.comparing((Candidate c) -> c.deadline));
    private Instant nextSweep;
    private long openSequences;
    private long peakOpenSequences;
    private long matches;

    public SequenceMatcher(QueryPlan plan, Consumer<Match> downstream) {
        if (plan.shape() != QueryShape.SEQUENCE) {
            throw new IllegalArgumentException("not a sequence: " + plan.shape());
        }
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        this.maxspan = plan.maxspan() == null || plan.maxspan().isZero() ? null : plan.maxspan();
        this.distinctStages = plan.stagesToRead();
        List<PlannedStage> planned = new ArrayList<>();
        for (StagePlan stage : plan.stages()) {
            for (int run = 0; run < stage.runs(); run++) {
                planned.add(new PlannedStage(planned.size(), stage));
            }
        }
        this.stages = List.copyOf(planned);
        this.until = plan.until() == null ? null : new PlannedStage(-1, plan.until());
        this.distinctOf = new int[stages.size()];
        for (PlannedStage stage : stages) {
            distinctOf[stage.index()] = distinctIndex(stage.source());
        }
        this.untilDistinct = until == null ? -1 : distinctIndex(until.source());
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<JoinKey>[] perStage = new List[distinctStages.size()];
        this.keysByStage = perStage;
        this.firstPositive = indexOfPositive(true);
        this.lastPositive = indexOfPositive(false);
        this.previousPositive = new int[stages.size()];
        int previous = -1;
        for (PlannedStage stage : stages) {
            previousPositive[stage.index()] = previous;
            if (!stage.missing()) {
                previous = stage.index();
            }
        }
        this.hasLeading = firstPositive > 0;
        this.hasTrailing = lastPositive < stages.size() - 1;
        this.hasMissing = stages.stream().anyMatch(PlannedStage::missing);
    }

    private int distinctIndex(StagePlan stage) {
        for (int d = 0; d < distinctStages.size(); d++) {
            if (distinctStages.get(d) == stage) {
                return d;
            }
        }
        throw new IllegalArgumentException("stage " + stage.position() + " is not among the stages to read");
    }

    private int indexOfPositive(boolean first) {
        int found = -1;
        for (PlannedStage stage : stages) {
            if (!stage.missing()) {
                found = stage.index();
                if (first) {
                    break;
                }
            }
        }
        return found;
    }

    /**
     * Feeds the next event of the stream, numbered {@code arrival} by the runner's clock, which has also checked
     * that it does not go back in time (one check per event, not one per layer).
     */
    void accept(Event event, long arrival) {
        Instant now = event.timestamp();
        expire(now);

        // Evaluate each stage as written once, however many runs it expands to.
        boolean any = false;
        for (int d = 0; d < keysByStage.length; d++) {
            StagePlan stage = distinctStages.get(d);
            List<JoinKey> keys = stage.matches(event) ? stage.keysOf(event) : List.of();
            keysByStage[d] = keys.isEmpty() ? null : keys;
            any |= !keys.isEmpty();
        }
        if (!any) {
            return;
        }
        Ordinal ordinal = new Ordinal(now, event.tiebreaker(), arrival);

        if (hasMissing) {
            recordMissing(now);
        }

        // Latest stage first, so that an event matching stages k and k+1 cannot extend the
        // sequence it has just joined at stage k.
        for (int s = lastPositive; s >= firstPositive; s--) {
            PlannedStage stage = stages.get(s);
            List<JoinKey> keys = stage.missing() ? null : keysByStage[distinctOf[s]];
            if (keys == null) {
                continue;
            }
            // by index: an iterator over these small lists is not always scalar-replaced, and costs an object
            for (int k = 0, n = keys.size(); k < n; k++) {
                advance(stage, keys.get(k), event, ordinal);
            }
        }

        if (until != null) {
            List<JoinKey> untilKeys = keysByStage[untilDistinct];
            if (untilKeys != null) {
                for (JoinKey key : untilKeys) {
                    cancel(key);
                }
            }
        }
        release();
        peakOpenSequences = Math.max(peakOpenSequences, pendingSequences());
    }

    /** Moves a sequence of {@code key} into {@code stage} with this event, completing it at the last stage. */
    private void advance(PlannedStage stage, JoinKey key, Event event, Ordinal ordinal) {
        int s = stage.index();
        PartialSequence sequence;
        if (s == firstPositive) {
            sequence = new PartialSequence(key, stages.size(), s, event, ordinal);
            if (hasLeading) {
                sequence.lastLeading = latestLeading(key, ordinal.timestamp());
            }
        } else {
            KeyState state = states.get(key);
            int previous = previousPositive[s];
            if (state == null || state.slots[previous] == null) {
                return;
            }
            sequence = state.slots[previous];
            state.slots[previous] = null;
            openSequences--;
            if (exceedsMaxspan(sequence.start(), ordinal.timestamp())) {
                dropIfEmpty(key, state);
                return;
            }
            if (previous + 1 < s
                    && missingBetween(
                            state, previous + 1, s, sequence.ordinalAt(previous).timestamp(), ordinal.timestamp())) {
                sequence.tainted = true;
            }
            sequence.put(s, event, ordinal);
        }
        if (s == lastPositive) {
            complete(sequence);
            KeyState state = states.get(key);
            if (state != null) {
                dropIfEmpty(key, state);
            }
            return;
        }
        KeyState state = stateOf(key);
        if (state.slots[s] == null) {
            openSequences++;
        }
        state.slots[s] = sequence;
    }

    /** The key's state, made when it has none; without a capturing lambda, which would cost an object a call. */
    private KeyState stateOf(JoinKey key) {
        KeyState state = states.get(key);
        if (state == null) {
            state = new KeyState(stages.size());
            states.put(key, state);
        }
        return state;
    }

    private record CompletionOrder(Ordinal last, long n) implements Comparable<CompletionOrder> {
        @Override
        public int compareTo(CompletionOrder other) {
            int byLast = last.compareTo(other.last);
            return byLast != 0 ? byLast : Long.compare(n, other.n);
        }
    }

    private void cancel(JoinKey key) {
        KeyState state = states.get(key);
        if (state == null) {
            return;
        }
        for (int i = 0; i < state.slots.length; i++) {
            if (state.slots[i] != null) {
                state.slots[i] = null;
                openSequences--;
            }
        }
        dropIfEmpty(key, state);
    }

    /**
     * Whether {@code to - from > maxspan}, worked out on the instants' seconds and nanoseconds: the same answer as
     * comparing {@code Duration.between}, without making a duration for every event that reaches a later stage.
     * The difference of two instants' seconds cannot overflow a long (instants span under 2^56 seconds).
     */
    private boolean exceedsMaxspan(Instant from, Instant to) {
        if (maxspan == null) {
            return false;
        }
        long seconds = to.getEpochSecond() - from.getEpochSecond();
        int nanos = to.getNano() - from.getNano();
        if (nanos < 0) {
            seconds--;
            nanos += 1_000_000_000;
        }
        return seconds > maxspan.getSeconds() || seconds == maxspan.getSeconds() && nanos > maxspan.getNano();
    }

    // ---- missing events -------------------------------------------------------------------

    private void recordMissing(Instant now) {
        for (PlannedStage stage : stages) {
            if (!stage.missing()) {
                continue;
            }
            List<JoinKey> keys = keysByStage[distinctOf[stage.index()]];
            if (keys == null) {
                continue;
            }
            for (JoinKey key : keys) {
                KeyState state = stateOf(key);
                state.sighting(stage.index()).record(now);
                if (stage.index() > lastPositive && state.held != null) {
                    for (Candidate candidate : state.held) {
                        if (candidate.verdict == Verdict.PENDING
                                && now.isAfter(candidate.sequence.last().timestamp())) {
                            // Events arrive in order, so this is the first trailing event: Elasticsearch's
                            // firstTrailing.
                            candidate.verdict =
                                    biggerThanMaxspan(candidate.anchor, now) ? Verdict.ACCEPT : Verdict.REJECT;
                        }
                    }
                    state.held.removeIf(c -> c.verdict != Verdict.PENDING);
                }
            }
        }
    }

    private Instant latestLeading(JoinKey key, Instant start) {
        KeyState state = states.get(key);
        if (state == null) {
            return null;
        }
        Instant latest = null;
        for (int m = 0; m < firstPositive; m++) {
            Instant seen = state.sightings[m] == null ? null : state.sightings[m].latestBefore(start);
            if (seen != null && (latest == null || seen.isAfter(latest))) {
                latest = seen;
            }
        }
        return latest;
    }

    private static boolean missingBetween(KeyState state, int fromStage, int toStage, Instant after, Instant before) {
        for (int m = fromStage; m < toStage; m++) {
            Instant seen = state.sightings[m] == null ? null : state.sightings[m].latestBefore(before);
            if (seen != null && seen.isAfter(after)) {
                return true;
            }
        }
        return false;
    }

    /** Elasticsearch's biggerThanMaxSpan: true when there is no maxspan-bounded relation to check. */
    private boolean biggerThanMaxspan(Instant from, Instant to) {
        if (from == null || to == null) {
            return true;
        }
        return exceedsMaxspan(from, to);
    }

    // ---- completion and ordered emission ----------------------------------------------------

    private void complete(PartialSequence sequence) {
        Candidate candidate = new Candidate(sequence);
        completions.put(new CompletionOrder(sequence.last(), completed++), candidate);
        if (!hasMissing) {
            candidate.verdict = Verdict.ACCEPT;
        } else if (sequence.tainted) {
            candidate.verdict = Verdict.REJECT;
        } else {
            settle(candidate);
        }
    }

    /**
     * Elasticsearch's rule (TumblingWindow#doCheckMissingEvents) for leading and trailing missing
     * events, with lastLeading the latest leading missing event strictly before the first event and
     * firstTrailing the first trailing one strictly after the last event. The sequence is kept when:
     * there are neither; or leading stages exist and lastLeading is absent; or trailing stages exist
     * and firstTrailing is absent; or, with both kinds, firstTrailing - lastLeading &gt; maxspan; with
     * leading only, last event - lastLeading &gt; maxspan; with trailing only, firstTrailing - first
     * event &gt; maxspan. Without maxspan, any leading or trailing missing event discards it.
     */
    private void settle(Candidate candidate) {
        PartialSequence sequence = candidate.sequence;
        if (!hasTrailing) {
            candidate.verdict = biggerThanMaxspan(
                            sequence.lastLeading, sequence.last().timestamp())
                    ? Verdict.ACCEPT
                    : Verdict.REJECT;
            return;
        }
        if (hasLeading && sequence.lastLeading == null) {
            candidate.verdict = Verdict.ACCEPT;
            return;
        }
        // Wait for the first trailing missing event, or for time to pass beyond maxspan of the anchor.
        candidate.anchor = hasLeading ? sequence.lastLeading : sequence.start();
        KeyState state = stateOf(sequence.key);
        if (state.held == null) {
            state.held = new ArrayList<>(1);
        }
        state.held.add(candidate);
        if (maxspan != null) {
            candidate.deadline = candidate.anchor.plus(maxspan);
            deadlines.add(candidate);
        }
    }

    private void release() {
        while (!completions.isEmpty()) {
            Candidate first = completions.firstEntry().getValue();
            if (first.verdict == Verdict.PENDING) {
                return;
            }
            completions.pollFirstEntry();
            if (first.verdict == Verdict.ACCEPT) {
                matches++;
                downstream.accept(first.sequence.toMatch());
            }
        }
    }

    /** Settles what time has decided and forgets state that can no longer matter. */
    private void expire(Instant now) {
        while (!deadlines.isEmpty() && now.isAfter(deadlines.peek().deadline)) {
            Candidate candidate = deadlines.poll();
            if (candidate.verdict == Verdict.PENDING) {
                candidate.verdict = Verdict.ACCEPT;
                KeyState state = states.get(candidate.sequence.key);
                if (state != null && state.held != null) {
                    state.held.remove(candidate);
                    dropIfEmpty(candidate.sequence.key, state);
                }
            }
        }
        release();
        if (maxspan == null) {
            return;
        }
        if (nextSweep == null) {
            nextSweep = now.plus(maxspan);
            return;
        }
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(maxspan);
        Instant horizon = now.minus(maxspan);
        for (Iterator<Map.Entry<JoinKey, KeyState>> it = states.entrySet().iterator(); it.hasNext(); ) {
            KeyState state = it.next().getValue();
            for (int i = 0; i < state.slots.length; i++) {
                // A sequence that started before now - maxspan can never take another event.
                if (state.slots[i] != null && state.slots[i].start().isBefore(horizon)) {
                    state.slots[i] = null;
                    openSequences--;
                }
                if (state.sightings[i] != null && state.sightings[i].latest.isBefore(horizon)) {
                    state.sightings[i] = null;
                }
            }
            if (state.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Ends the stream: sequences still waiting for a trailing missing event are kept, and emitted. */
    public void finish() {
        for (Candidate candidate : completions.values()) {
            if (candidate.verdict == Verdict.PENDING) {
                candidate.verdict = Verdict.ACCEPT;
            }
        }
        deadlines.clear();
        for (KeyState state : states.values()) {
            state.held = null;
        }
        release();
    }

    /** Sequences in flight now: partially matched, or complete and waiting for a missing-event decision. */
    public long pendingSequences() {
        return openSequences + completions.size();
    }

    /** The most sequences that were in flight at once during the run. */
    public long peakPendingSequences() {
        return Math.max(peakOpenSequences, pendingSequences());
    }

    public long matches() {
        return matches;
    }

    private void dropIfEmpty(JoinKey key, KeyState state) {
        if (state.isEmpty()) {
            states.remove(key);
        }
    }

    private enum Verdict {
        PENDING,
        ACCEPT,
        REJECT
    }

    private static final class Candidate {
        final PartialSequence sequence;
        Verdict verdict = Verdict.PENDING;
        Instant anchor;
        Instant deadline;

        Candidate(PartialSequence sequence) {
            this.sequence = sequence;
        }
    }

    /** Everything the matcher remembers about one join key. */
    private static final class KeyState {
        /** The sequence waiting at each stage (whose latest matched stage is that index). */
        final PartialSequence[] slots;
        /** For missing-event stages: when such events were last seen for this key. */
        final Sighting[] sightings;
        /** Complete sequences waiting for a trailing missing-event decision. */
        List<Candidate> held;

        KeyState(int stageCount) {
            slots = new PartialSequence[stageCount];
            sightings = new Sighting[stageCount];
        }

        Sighting sighting(int stage) {
            if (sightings[stage] == null) {
                sightings[stage] = new Sighting();
            }
            return sightings[stage];
        }

        boolean isEmpty() {
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != null || sightings[i] != null) {
                    return false;
                }
            }
            return held == null || held.isEmpty();
        }
    }

    /**
     * The latest timestamp a missing-event stage matched at, and the latest one strictly before it:
     * enough to answer "the latest such event strictly before t" for any t at or after the latest,
     * since events arrive in order.
     */
    private static final class Sighting {
        Instant latest;
        Instant beforeLatest;

        void record(Instant at) {
            if (latest == null) {
                latest = at;
            } else if (at.isAfter(latest)) {
                beforeLatest = latest;
                latest = at;
            }
        }

        Instant latestBefore(Instant t) {
            if (latest.isBefore(t)) {
                return latest;
            }
            return beforeLatest != null && beforeLatest.isBefore(t) ? beforeLatest : null;
        }
    }
}
