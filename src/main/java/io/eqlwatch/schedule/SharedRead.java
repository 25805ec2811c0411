package io.eqlwatch.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.engine.Match;
import io.eqlwatch.engine.QueryRunner;
import io.eqlwatch.eql.dsl.ReadFilter;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.event.Event;
import io.eqlwatch.plan.ReadSpec;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.plan.StagePlan;
import io.eqlwatch.source.EventCursor;
import io.eqlwatch.source.EventSource;
import io.eqlwatch.source.ReadRequest;
import io.eqlwatch.source.SkippedEvent;
import io.eqlwatch.source.TimestampExtent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read for several rules over the same window: the union of their read filters over the union of
 * their indices, scanned once in sequence order, each event handed only to the rules that read its
 * index and one of whose stages it satisfies (the same test the rule's matcher applies to it first),
 * each rule matching with its own engine. A rule sees exactly the events of its own read that can
 * take part in a match, in the same order, so it finds the matches it finds alone; an event no
 * stage of a rule accepts changes nothing in that rule's matcher. A sequence whose first stage is rare
 * stays out of the union, as its own read is the narrower one.
 *
 * <p>One rule's failure while matching fails that rule only; the others go on.
 */
final class SharedRead {

    private static final Logger LOG = LoggerFactory.getLogger(SharedRead.class);

    /**
     * Rules per read at most: the union is one {@code bool} query, and Elasticsearch limits the
     * clauses of a query; a larger group is read in several parts, and a part the cluster refuses
     * as too large is read in halves.
     */
    static final int MAX_RULES_PER_READ = 48;

    /**
     * What rules must have in common to share a read: how events are ordered and put into windows,
     * and the one window each of them reads.
     */
    record Key(String timestampField, String windowField, String tiebreakerField, TimeWindow window) {}

    /** What one rule found in the shared read: its window's result, or why its matching failed. */
    record Found(TimeWindow window, WindowDetection.Result result, RuntimeException failure) {}

    private final EventSource source;
    private final int pageSize;
    private final WindowDetection alone;

    SharedRead(EventSource source, int pageSize) {
        this.source = source;
        this.pageSize = pageSize;
        this.alone = new WindowDetection(source, pageSize);
    }

    /**
     * The key under which the rule may share its read, or {@code null} when it reads alone: more
     * than one window (catching up), Kibana {@code filters} (Elasticsearch applies them, the engine does not), a plan
     * without a read filter, or an index expression beyond plain names and {@code *} patterns
     * (an exclusion, a remote cluster), which the dispatch could not follow.
     */
    static Key keyOf(RulePlan plan, WindowPlan windows) {
        if (windows.windows().size() != 1
                || windows.gap().isPresent()
                || !plan.rule().tuning().filters().isEmpty()
                || plan.query().readFilter() == null
                || plan.read().indices().stream().anyMatch(SharedRead::beyondPlainPatterns)) {
            return null;
        }
        ReadSpec read = plan.read();
        return new Key(
                read.timestampField(),
                read.windowField(),
                read.tiebreakerField(),
                windows.windows().get(0));
    }

    private static boolean beyondPlainPatterns(String index) {
        return index.isBlank() || index.startsWith("-") || index.contains(":") || index.contains(",");
    }

    /**
     * Reads the window once for all the plans (which share {@code key}); a part the cluster refuses
     * (a 400, e.g. too many clauses) is read in halves, down to rules that then read alone.
     *
     * @return what each rule found, by rule id; a rule left out reads alone
     */
    Map<String, Found> read(Key key, List<RulePlan> plans, IndexMembership membership) {
        Map<String, Found> found = new LinkedHashMap<>();
        List<RulePlan> reading = withoutRareFirstStages(key.window(), plans, found);
        for (int from = 0; from < reading.size(); from += MAX_RULES_PER_READ) {
            readPart(
                    key, reading.subList(from, Math.min(reading.size(), from + MAX_RULES_PER_READ)), membership, found);
        }
        return found;
    }

    /**
     * The plans that join the union. A sequence whose first stage is rare reads alone far less than its whole
     * read filter lets through (its later stages only for the first stage's keys, see {@link WindowDetection}),
     * and one whose first stage has no candidate at all has no match: such a rule's common later stage (say,
     * any network event) would otherwise make the union read most of the window for nothing. The first stages
     * are counted in one round trip; a rule with none is found here with no match, one with few reads alone.
     */
    private List<RulePlan> withoutRareFirstStages(TimeWindow window, List<RulePlan> plans, Map<String, Found> found) {
        Asked seeds = Asked.of(plans, plan -> alone.seedRequest(plan, window));
        Set<RulePlan> leftOut = Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            withoutUnstartedByArrival(window, plans, found, leftOut);
        } catch (RuntimeException e) {
            LOG.debug("bounding the arrivals of the sequences by arrival failed; they join the union", e);
        }
        if (seeds.requests().isEmpty()) {
            return without(plans, leftOut);
        }
        long[] counts;
        try {
            counts = source.countsUpTo(seeds.requests(), WindowDetection.MAX_SEED_EVENTS + 1);
        } catch (RuntimeException e) {
            LOG.debug(
                    "counting the first stages of {} sequences failed; they join the union",
                    seeds.requests().size(),
                    e);
            return without(plans, leftOut);
        }
        for (int i = 0; i < counts.length; i++) {
            RulePlan plan = seeds.plans().get(i);
            if (counts[i] == 0) {
                noMatch(plan, window, found, leftOut);
            } else if (counts[i] > 0 && counts[i] <= WindowDetection.MAX_SEED_EVENTS) {
                leftOut.add(plan);
            }
        }
        return without(plans, leftOut);
    }

    /**
     * The sequences by arrival with no match in the window, found without reading: none of their events
     * arrived, or no first-stage event lies within reach of those that did (the time extent of the arrivals,
     * then the first stage near it, each in one round trip for all of them). Elastic's prebuilt rules are
     * nearly all by arrival ({@code event.ingested}), and one with a common later stage ("any Windows network
     * event") would otherwise read, alone or in the union, every such event that arrived.
     */
    private void withoutUnstartedByArrival(
            TimeWindow window, List<RulePlan> plans, Map<String, Found> found, Set<RulePlan> leftOut) {
        Asked arrivals = Asked.of(plans, plan -> alone.arrivalsRequest(plan, window));
        if (arrivals.requests().isEmpty()) {
            return;
        }
        List<RulePlan> byArrival = arrivals.plans();
        List<TimestampExtent> extents = source.extents(arrivals.requests());
        List<RulePlan> started = new ArrayList<>();
        List<ReadRequest> firstStages = new ArrayList<>();
        for (int i = 0; i < extents.size(); i++) {
            TimestampExtent extent = extents.get(i);
            if (extent == null) {
                continue;
            }
            if (extent.none()) {
                noMatch(byArrival.get(i), window, found, leftOut);
            } else {
                started.add(byArrival.get(i));
                firstStages.add(alone.firstStageNear(byArrival.get(i), extent));
            }
        }
        if (firstStages.isEmpty()) {
            return;
        }
        long[] counts = source.countsUpTo(firstStages, 1);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                noMatch(started.get(i), window, found, leftOut);
            }
        }
    }

    /** The plans a question applies to, each with its request, in the same order. */
    private record Asked(List<RulePlan> plans, List<ReadRequest> requests) {

        static Asked of(List<RulePlan> plans, Function<RulePlan, ReadRequest> question) {
            List<RulePlan> asked = new ArrayList<>();
            List<ReadRequest> requests = new ArrayList<>();
            for (RulePlan plan : plans) {
                ReadRequest request = question.apply(plan);
                if (request != null) {
                    asked.add(plan);
                    requests.add(request);
                }
            }
            return new Asked(asked, requests);
        }
    }

    private static void noMatch(RulePlan plan, TimeWindow window, Map<String, Found> found, Set<RulePlan> leftOut) {
        found.put(plan.rule().ruleId(), new Found(window, new WindowDetection.Result(List.of(), 0, List.of()), null));
        leftOut.add(plan);
    }

    private static List<RulePlan> without(List<RulePlan> plans, Set<RulePlan> leftOut) {
        List<RulePlan> reading = new ArrayList<>();
        for (RulePlan plan : plans) {
            if (!leftOut.contains(plan)) {
                reading.add(plan);
            }
        }
        return reading;
    }

    private void readPart(Key key, List<RulePlan> part, IndexMembership membership, Map<String, Found> found) {
        if (part.size() < 2) {
            return;
        }
        try {
            found.putAll(readOnce(key, part, membership));
        } catch (RuntimeException e) {
            if (ElasticsearchCallException.statusOf(e) == 400 && part.size() >= 4) {
                int half = part.size() / 2;
                readPart(key, part.subList(0, half), membership, found);
                readPart(key, part.subList(half, part.size()), membership, found);
                return;
            }
            LOG.warn(
                    "one read for {} rules over {} failed ({}); each of them reads alone",
                    part.size(),
                    key.window(),
                    e.getMessage());
        }
    }

    private Map<String, Found> readOnce(Key key, List<RulePlan> plans, IndexMembership membership) {
        List<Member> members = new ArrayList<>();
        Set<String> indices = new TreeSet<>();
        // Only what the rules read, as each reads alone; the events of alerts are fetched whole afterwards.
        Set<String> sourceFields = new TreeSet<>();
        for (RulePlan plan : plans) {
            members.add(new Member(plan));
            indices.addAll(plan.read().indices());
            sourceFields.addAll(plan.sourceFields());
        }
        ReadRequest request = ReadRequest.of(
                        List.copyOf(indices),
                        unionOnOwnIndices(plans, membership),
                        key.window().start(),
                        key.window().end())
                .withTimestampField(key.timestampField())
                .withRangeField(key.windowField())
                .withPageSize(pageSize)
                .withSourceFields(sourceFields);
        if (key.tiebreakerField() != null) {
            request = request.withTiebreakerField(key.tiebreakerField());
        }
        Map<String, Member[]> readersOfIndex = new HashMap<>();
        List<SkippedEvent> skipped;
        try (EventCursor events = source.read(request)) {
            int open = members.size();
            while (open > 0 && events.hasNext()) {
                Event event = events.next();
                Member[] readers = readersOfIndex.computeIfAbsent(event.index(), index -> members.stream()
                        .filter(m -> membership.belongs(index, m.plan.read().indices()))
                        .toArray(Member[]::new));
                for (Member member : readers) {
                    if (member.open()) {
                        member.offer(event);
                    }
                }
                open = 0;
                for (Member member : members) {
                    open += member.open() ? 1 : 0;
                }
            }
            skipped = events.skippedEvents();
        }
        Map<String, Found> found = new LinkedHashMap<>();
        for (Member member : members) {
            Found mine = member.finish(key.window(), skipped);
            if (mine != null) {
                found.put(member.plan.rule().ruleId(), mine);
            }
        }
        return found;
    }
    /**
     * The union of the rules' read filters, each applying only where its rule reads. Without that, a rule's
     * filter met the indices of every other rule of the read: one written for DLL loads, whose stages
     * Elasticsearch can narrow only to "has these fields" where those fields are unmapped, let every file event
     * of the other rules' indices through. The rules are grouped by the concrete indices they read, and each
     * group's filters are kept off the known indices it does not read. An index none of them knew (one created
     * since) keeps every filter, so the dispatch still decides there, as before.
     */
    static ObjectNode unionOnOwnIndices(List<RulePlan> plans, IndexMembership membership) {
        Set<String> known = new TreeSet<>(membership.known());
        Map<Set<String>, List<ObjectNode>> filtersByIndices = new LinkedHashMap<>();
        for (RulePlan plan : plans) {
            Set<String> own = new TreeSet<>();
            for (String index : known) {
                if (membership.belongs(index, plan.read().indices())) {
                    own.add(index);
                }
            }
            filtersByIndices
                    .computeIfAbsent(own, k -> new ArrayList<>())
                    .add(plan.query().readFilter());
        }
        List<ObjectNode> groups = new ArrayList<>();
        filtersByIndices.forEach((own, filters) -> {
            Set<String> others = new TreeSet<>(known);
            others.removeAll(own);
            groups.add(ReadFilter.outside("_index", others, ReadFilter.anyOf(filters)));
        });
        return ReadFilter.anyOf(groups);
    }

    /**
     * One rule of a shared read: its stages' tests and its own engine.
     *
     * <p>A sequence or sample whose window is by arrival time reads, beside the events that arrived,
     * their partners whenever those arrived ({@link WindowDetection}); the shared read can only tell
     * it that nothing it could use arrived, the common case, and then it has no match. When anything
     * did arrive, it reads alone.
     */
    private static final class Member {
        final RulePlan plan;
        final List<StagePlan> stages;
        final List<Match> matches = new ArrayList<>();
        final QueryRunner runner;
        final boolean onlyWhenNothingArrives;
        long dispatched;
        RuntimeException failure;

        Member(RulePlan plan) {
            this.plan = plan;
            this.stages = plan.query().stagesToRead();
            this.runner = new QueryRunner(plan.query(), matches::add);
            this.onlyWhenNothingArrives =
                    plan.read().byArrival() && plan.shape().joins();
        }

        boolean open() {
            return failure == null && !runner.satisfied() && !(onlyWhenNothingArrives && dispatched > 0);
        }

        void offer(Event event) {
            try {
                for (StagePlan stage : stages) {
                    if (stage.matches(event)) {
                        dispatched++;
                        if (!onlyWhenNothingArrives) {
                            runner.accept(event);
                        }
                        return;
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        /** What the rule found; {@code null} when it must read alone. */
        Found finish(TimeWindow window, List<SkippedEvent> skipped) {
            if (onlyWhenNothingArrives && failure == null && dispatched > 0) {
                return null;
            }
            if (failure == null) {
                try {
                    long peak = runner.finish().peakPendingSequences();
                    return new Found(window, new WindowDetection.Result(matches, dispatched, skipped, peak), null);
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            return new Found(window, null, failure);
        }
    }
}
