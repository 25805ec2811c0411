package io.eqlwatch.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.engine.Match;
import io.eqlwatch.engine.QueryRunner;
import io.eqlwatch.engine.RunCounters;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.dsl.ReadFilter;
import io.eqlwatch.event.Event;
import io.eqlwatch.plan.QueryPlan;
import io.eqlwatch.plan.QueryShape;
import io.eqlwatch.plan.ReadSpec;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.plan.StagePlan;
import io.eqlwatch.source.EventCursor;
import io.eqlwatch.source.EventSource;
import io.eqlwatch.source.ReadRequest;
import io.eqlwatch.source.SkippedEvent;
import io.eqlwatch.source.TimestampExtent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a rule's matches in one window: reads the candidate events in sequence order, streams them
 * through the EQL engine, and returns what matched. Memory grows with the engine's open sequences
 * and the matches, not with the number of events in the window.
 *
 * <p>With a {@code timestamp_override} (e.g. {@code event.ingested}) the window selects events by
 * when they arrived, while sequences are still assembled on {@code @timestamp}. An event that
 * arrives late may complete a sequence whose other events arrived in earlier windows, so for the
 * join keys of the newly arrived events the detection also reads their neighbours within the
 * maxspan, whenever those arrived, and keeps the matches that contain a newly arrived event.
 */
public final class WindowDetection implements WindowDetector {

    /** Values per join-key field above which a read is not narrowed by key. */
    private static final int MAX_KEY_TERMS = 10_000;

    /**
     * Documents passing the first stage's push-down in a window up to which later stages are read only for
     * the first stage's keys.
     */
    static final int MAX_SEED_EVENTS = 5_000;

    private final EventSource source;
    private final int pageSize;

    public WindowDetection(EventSource source, int pageSize) {
        this.source = source;
        this.pageSize = pageSize;
    }

    /**
     * Matches of one window, in the order the engine produced them, how many events were read, the
     * documents left out as unusable (each once, though a window may read a document twice), and the most
     * partial sequences the engine held at once (its memory high-water mark).
     */
    public record Result(List<Match> matches, long eventsRead, List<SkippedEvent> skipped, long peakOpenSequences) {
        public Result {
            matches = List.copyOf(matches);
            skipped = List.copyOf(new LinkedHashSet<>(skipped));
        }

        public long eventsSkipped() {
            return skipped.size();
        }

        private static List<SkippedEvent> both(List<SkippedEvent> first, List<SkippedEvent> second) {
            List<SkippedEvent> all = new ArrayList<>(first);
            all.addAll(second);
            return all;
        }

        public Result(List<Match> matches, long eventsRead, List<SkippedEvent> skipped) {
            this(matches, eventsRead, skipped, 0);
        }
    }

    @Override
    public Result detect(RulePlan plan, TimeWindow window) {
        if (plan.read().byArrival()) {
            return detectLateEvents(plan, window);
        }
        Set<String> sourceFields = plan.sourceFields();
        ReadRequest seeds = seedRequest(plan, window);
        if (seeds != null) {
            Result seeded = detectFromFewFirstStageEvents(plan.query(), plan.read(), window, seeds, sourceFields);
            if (seeded != null) {
                return seeded;
            }
        }
        return read(
                plan.query(),
                plan.read(),
                plan.query().readFilter(),
                plan.read().timestampField(),
                window,
                null,
                sourceFields);
    }

    /**
     * The matches with their events' whole sources: {@link #detect(RulePlan, TimeWindow)} reads only the
     * fields the rule reads, so the matches that become alerts (and only those) are completed before their
     * alerts are built. The same list when the source read every event whole.
     */
    @Override
    public List<Match> withFullSources(List<Match> matches) {
        List<Event> events = new ArrayList<>();
        matches.forEach(match -> events.addAll(match.events()));
        List<Event> whole = source.withFullSources(events);
        if (whole == events) {
            return matches;
        }
        List<Match> out = new ArrayList<>(matches.size());
        int next = 0;
        for (Match match : matches) {
            List<Event> own = whole.subList(next, next + match.events().size());
            next += own.size();
            out.add(new Match(own, match.joinKeys(), match.missingStages()));
        }
        return out;
    }

    /**
     * All matches of a query among the events of a window, read in one pass with the query's whole
     * read filter (for hunting with {@code query --index}, where the count of events read is shown).
     */
    public Result detect(QueryPlan query, ReadSpec read, TimeWindow window) {
        return read(query, read, query.readFilter(), read.windowField(), window, null, null);
    }

    /**
     * When the first stage of a sequence is rare in the window (few candidates, as for most
     * detection rules, whose first stage is the unusual event), every sequence must carry one of
     * the join keys those candidates have. Reading the later stages only for those keys keeps a
     * rule with a common later stage (say, any process start) from reading every such event.
     *
     * @return the window's result, or {@code null} when the first stage has too many candidates
     *         (or no key to narrow by) and the ordinary read is the better plan
     */
    private Result detectFromFewFirstStageEvents(
            QueryPlan query, ReadSpec read, TimeWindow window, ReadRequest seeds, Set<String> sourceFields) {
        StagePlan first = query.stages().get(0);
        // Counted, not read: when the first stage is common, reading its candidates only to drop them
        // would cost as much as the whole read. The count bounds what the seed read below brings.
        if (source.count(seeds) > MAX_SEED_EVENTS) {
            return null;
        }
        List<Set<Object>> seen = new ArrayList<>();
        first.keys().forEach(k -> seen.add(new LinkedHashSet<>()));
        long seedRead;
        List<SkippedEvent> seedSkipped;
        try (EventCursor events = source.read(seeds)) {
            while (events.hasNext()) {
                Event event = events.next();
                if (!first.matches(event)) {
                    continue;
                }
                for (int k = 0; k < first.keys().size(); k++) {
                    seen.get(k).addAll(first.keyValues(k, event));
                }
            }
            seedRead = events.eventsRead();
            seedSkipped = events.skippedEvents();
        }
        if (seen.stream().allMatch(Set::isEmpty)) {
            return new Result(List.of(), seedRead, seedSkipped);
        }
        List<ObjectNode> stages = new ArrayList<>();
        for (StagePlan stage : query.stagesToRead()) {
            stages.add(narrowByKeys(stage.pushDown(), stage.keys(), seen));
        }
        Result found = read(query, read, ReadFilter.anyOf(stages), read.timestampField(), window, null, sourceFields);
        return new Result(
                found.matches(),
                seedRead + found.eventsRead(),
                Result.both(seedSkipped, found.skipped()),
                found.peakOpenSequences());
    }

    /**
     * The read of a sequence's first-stage candidates in the window, when the rule's read is narrowed by them
     * (see {@link #detectFromFewFirstStageEvents}); {@code null} when it never is: not a sequence, a window by
     * arrival, a missing first stage, or no plain join-key field to narrow by.
     */
    ReadRequest seedRequest(RulePlan plan, TimeWindow window) {
        if (plan.shape() != QueryShape.SEQUENCE || plan.read().byArrival()) {
            return null;
        }
        StagePlan first = plan.query().stages().get(0);
        if (first.missing() || !anyNarrowable(first)) {
            return null;
        }
        ReadSpec read = plan.read();
        return request(read, first.pushDown(), window, read.timestampField(), plan.sourceFields());
    }

    /**
     * For a sequence whose window is by arrival: the events that arrived in the window and pass a stage a match
     * is made of (not a missing-event or {@code until} stage). A new match holds one of them, so none means no
     * match; {@code null} for any other rule.
     */
    ReadRequest arrivalsRequest(RulePlan plan, TimeWindow window) {
        if (plan.shape() != QueryShape.SEQUENCE
                || !plan.read().byArrival()
                || plan.query().stages().get(0).missing()) {
            return null;
        }
        List<ObjectNode> taken = new ArrayList<>();
        for (StagePlan stage : plan.query().stages()) {
            if (!stage.missing()) {
                taken.add(stage.pushDown());
            }
        }
        ReadSpec read = plan.read();
        return request(read, ReadFilter.anyOf(taken), window, read.windowField(), plan.sourceFields());
    }

    /**
     * The first-stage candidates, by event time, within the rule's reach of arrivals lying between
     * {@code extent}'s ends: a new match starts with one of them, so none means no match.
     */
    ReadRequest firstStageNear(RulePlan plan, TimestampExtent extent) {
        Duration reach = plan.partnerReach();
        TimeWindow near =
                new TimeWindow(extent.earliest().minus(reach), extent.latest().plus(reach));
        ReadSpec read = plan.read();
        return request(read, plan.query().stages().get(0).pushDown(), near, read.timestampField(), plan.sourceFields());
    }

    private static boolean anyNarrowable(StagePlan stage) {
        for (int k = 0; k < stage.keys().size(); k++) {
            if (stage.narrowableKeyField(k) != null) {
                return true;
            }
        }
        return false;
    }

    private Result detectLateEvents(RulePlan plan, TimeWindow window) {
        QueryPlan query = plan.query();
        ReadSpec read = plan.read();
        Set<String> sourceFields = plan.sourceFields();
        List<Expr> keys = query.sharedKeys();
        StagePlan keySource = query.stages().get(0);
        Set<String> arrivedIds = new HashSet<>();
        List<Set<Object>> keyValues = new ArrayList<>();
        keys.forEach(k -> keyValues.add(new LinkedHashSet<>()));
        Instant earliest = null;
        Instant latest = null;
        long arrivedCount;
        List<SkippedEvent> skipped;
        try (EventCursor events =
                source.read(request(read, query.readFilter(), window, read.windowField(), sourceFields))) {
            while (events.hasNext()) {
                Event event = events.next();
                arrivedIds.add(identity(event));
                earliest = earliest == null || event.timestamp().isBefore(earliest) ? event.timestamp() : earliest;
                latest = latest == null || event.timestamp().isAfter(latest) ? event.timestamp() : latest;
                // The shared keys come first in every stage's key, so any stage reads them alike.
                for (int k = 0; k < keys.size(); k++) {
                    keyValues.get(k).addAll(keySource.keyValues(k, event));
                }
            }
            arrivedCount = events.eventsRead();
            skipped = events.skippedEvents();
        }
        if (arrivedIds.isEmpty()) {
            return new Result(List.of(), arrivedCount, skipped);
        }
        if (!query.shape().joins()) {
            // An event query needs no neighbours: what arrived is what can match.
            return read(query, read, query.readFilter(), read.windowField(), window, null, sourceFields);
        }
        Duration reach = plan.partnerReach();
        TimeWindow neighbourhood = new TimeWindow(earliest.minus(reach), latest.plus(reach));
        ObjectNode filter = narrowByKeys(query.readFilter(), keys, keyValues);
        Result around = read(query, read, filter, read.timestampField(), neighbourhood, arrivedIds, sourceFields);
        return new Result(
                around.matches(),
                arrivedCount + around.eventsRead(),
                Result.both(skipped, around.skipped()),
                around.peakOpenSequences());
    }

    private Result read(
            QueryPlan query,
            ReadSpec read,
            ObjectNode filter,
            String rangeField,
            TimeWindow window,
            Set<String> mustContainOneOf,
            Set<String> sourceFields) {
        List<Match> matches = new ArrayList<>();
        QueryRunner runner = new QueryRunner(query, match -> {
            if (mustContainOneOf == null
                    || match.events().stream().anyMatch(e -> mustContainOneOf.contains(identity(e)))) {
                matches.add(match);
            }
        });
        long eventsRead;
        List<SkippedEvent> skipped;
        try (EventCursor events = source.read(request(read, filter, window, rangeField, sourceFields))) {
            while (events.hasNext() && !runner.satisfied()) {
                runner.accept(events.next());
            }
            eventsRead = events.eventsRead();
            skipped = events.skippedEvents();
        }
        RunCounters counters = runner.finish();
        return new Result(matches, eventsRead, skipped, counters.peakPendingSequences());
    }

    /** @param sourceFields the only source fields to read, or null for the whole source */
    private ReadRequest request(
            ReadSpec read, ObjectNode filter, TimeWindow window, String rangeField, Set<String> sourceFields) {
        ReadRequest request = ReadRequest.of(read.indices(), filter, window.start(), window.end())
                .withTimestampField(read.timestampField())
                .withRangeField(rangeField)
                .withPageSize(pageSize)
                .withSourceFields(sourceFields);
        return read.tiebreakerField() == null ? request : request.withTiebreakerField(read.tiebreakerField());
    }

    private static String identity(Event event) {
        return event.index() + "\u0000" + event.id();
    }

    /**
     * Adds {@code terms} on each plain join-key field, so that only the keys seen elsewhere are read
     * back. Optional and computed keys are left unfiltered, which only widens the read; so is a key
     * with too many values for one request.
     */
    static ObjectNode narrowByKeys(ObjectNode filter, List<Expr> keys, List<Set<Object>> values) {
        Map<String, Set<Object>> byField = new LinkedHashMap<>();
        for (int k = 0; k < keys.size(); k++) {
            if (keys.get(k) instanceof Expr.Field field
                    && !field.optional()
                    && !values.get(k).isEmpty()
                    && values.get(k).size() <= MAX_KEY_TERMS) {
                byField.put(field.name(), values.get(k));
            }
        }
        return ReadFilter.withTerms(filter, byField);
    }
}
