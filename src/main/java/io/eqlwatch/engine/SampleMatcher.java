package io.eqlwatch.engine;

import io.eqlwatch.event.Event;
import io.eqlwatch.plan.JoinKey;
import io.eqlwatch.plan.QueryPlan;
import io.eqlwatch.plan.QueryShape;
import io.eqlwatch.plan.StagePlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code sample by keys [stage] [stage] ...}: groups of distinct events, one per stage, sharing join
 * keys, in no particular time order, as Elasticsearch's SampleIterator finds them.
 *
 * <p>Per join key, Elasticsearch fetches at most (stages x max_samples_per_key) events per stage and
 * picks combinations of distinct events by backtracking (the first stage's candidates outermost), up
 * to {@code max_samples_per_key} (default 1) samples per key. Keys come out in ascending order, as
 * its composite aggregation returns them. Here the candidates are the first events of the stream per
 * key and stage, so memory is bounded per key: at most stages x stages x max_samples_per_key events
 * per join key seen. Nothing can be decided before the stream ends, so all samples come at
 * {@link #finish()}.
 */
public final class SampleMatcher {

    private final Consumer<Match> downstream;
    private final List<StagePlan> stages;
    private final int perStageLimit;
    private final int maxSamplesPerKey;
    private final Map<JoinKey, List<List<Event>>> candidates = new HashMap<>();
    private long matches;

    public SampleMatcher(QueryPlan plan, int maxSamplesPerKey, Consumer<Match> downstream) {
        if (plan.shape() != QueryShape.SAMPLE) {
            throw new IllegalArgumentException("not a sample: " + plan.shape());
        }
        if (maxSamplesPerKey < 1) {
            throw new IllegalArgumentException("max_samples_per_key must be at least 1, got " + maxSamplesPerKey);
        }
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        this.stages = plan.stages();
        this.maxSamplesPerKey = maxSamplesPerKey;
        this.perStageLimit = stages.size() * maxSamplesPerKey;
    }

    /** Feeds the next event of the stream; the runner's clock has checked it does not go back in time. */
    void accept(Event event) {
        for (int s = 0; s < stages.size(); s++) {
            StagePlan stage = stages.get(s);
            if (!stage.matches(event)) {
                continue;
            }
            for (JoinKey key : stage.keysOf(event)) {
                List<List<Event>> perStage = candidates.computeIfAbsent(key, k -> {
                    List<List<Event>> lists = new ArrayList<>(stages.size());
                    for (int i = 0; i < stages.size(); i++) {
                        lists.add(new ArrayList<>(1));
                    }
                    return lists;
                });
                List<Event> list = perStage.get(s);
                if (list.size() < perStageLimit) {
                    list.add(event);
                }
            }
        }
    }

    public void finish() {
        List<JoinKey> keys = new ArrayList<>(candidates.keySet());
        keys.sort(KEY_ORDER);
        for (JoinKey key : keys) {
            List<List<Event>> perStage = candidates.get(key);
            if (perStage.stream().anyMatch(List::isEmpty)) {
                continue;
            }
            List<List<Event>> found = new ArrayList<>();
            pick(perStage, 0, new ArrayList<>(), found);
            for (List<Event> sample : found) {
                matches++;
                downstream.accept(new Match(sample, key.values()));
            }
        }
        candidates.clear();
    }

    /** Backtracking over distinct events, one per stage, until max_samples_per_key samples are found. */
    private void pick(List<List<Event>> perStage, int stage, List<Event> partial, List<List<Event>> found) {
        for (Event event : perStage.get(stage)) {
            if (found.size() >= maxSamplesPerKey) {
                return;
            }
            if (containsSame(partial, event)) {
                continue;
            }
            partial.add(event);
            if (stage == perStage.size() - 1) {
                found.add(List.copyOf(partial));
            } else {
                pick(perStage, stage + 1, partial, found);
            }
            partial.remove(partial.size() - 1);
        }
    }

    private static boolean containsSame(List<Event> events, Event event) {
        for (Event e : events) {
            if (e == event) {
                return true;
            }
        }
        return false;
    }

    /** Join keys with candidate events held. */
    public long pendingKeys() {
        return candidates.size();
    }

    public long matches() {
        return matches;
    }

    /** Ascending, null first, numbers by value, as a composite aggregation orders its buckets. */
    static final Comparator<JoinKey> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.values().size(), b.values().size()); i++) {
            int c = compareValues(a.values().get(i), b.values().get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.values().size(), b.values().size());
    };

    private static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable<?>) {
            @SuppressWarnings("unchecked")
            Comparable<Object> comparable = (Comparable<Object>) a;
            return comparable.compareTo(b);
        }
        return a.getClass().getName().compareTo(b.getClass().getName());
    }
}
