package io.eqlwatch.schedule;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.engine.Match;
import io.eqlwatch.engine.QueryRunner;
import io.eqlwatch.engine.RunCounters;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.eql.dsl.PushDownTranslator;
import io.eqlwatch.eql.dsl.ReadFilter;
import io.eqlwatch.event.Event;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.EventReader;
import io.eqlwatch.source.EventStream;
import io.eqlwatch.source.ReadRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds a rule's matches in one window: reads the candidate events from Elasticsearch in sequence
 * order, streams them through the EQL engine, and returns what matched. Memory grows with the
 * engine's open sequences and the matches, not with the number of events in the window.
 *
 * <p>With a {@code timestamp_override} (e.g. {@code event.ingested}) the window selects events by
 * when they arrived, while sequences are still assembled on {@code @timestamp}. An event that
 * arrives late may complete a sequence whose other events arrived in earlier windows, so for the
 * join keys of the newly arrived events the detection also reads their neighbours within the
 * maxspan, whenever those arrived, and keeps the matches that contain a newly arrived event.
 */
public final class WindowDetection {

    /** Values per join-key field above which a read is not narrowed by key. */
    private static final int MAX_KEY_TERMS = 10_000;

    /** First-stage candidates in a window up to which later stages are read only for their keys. */
    private static final int MAX_SEED_EVENTS = 5_000;

    private final EventReader reader;
    private final int pageSize;

    public WindowDetection(EventReader reader, int pageSize) {
        this.reader = reader;
        this.pageSize = pageSize;
    }

    /**
     * Matches of one window, in the order the engine produced them, how many events were read, and
     * the most partial sequences the engine held at once (its memory high-water mark).
     */
    public record Result(List<Match> matches, long eventsRead, long eventsSkipped, long peakOpenSequences) {
        public Result {
            matches = List.copyOf(matches);
        }

        public Result(List<Match> matches, long eventsRead, long eventsSkipped) {
            this(matches, eventsRead, eventsSkipped, 0);
        }
    }

    public Result detect(PreparedRule prepared, TimeWindow window) {
        Rule rule = prepared.rule();
        if (rule.timestampOverride() != null && !rule.timestampOverride().equals(rule.timestampField())) {
            return detectLateEvents(prepared, window);
        }
        if (rule.query().body() instanceof SequenceQuery sequence) {
            Result seeded = detectFromFewFirstStageEvents(prepared, sequence, window);
            if (seeded != null) {
                return seeded;
            }
        }
        return read(prepared, prepared.readFilter(), rule.timestampField(), window, null);
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
    private Result detectFromFewFirstStageEvents(PreparedRule prepared, SequenceQuery sequence, TimeWindow window) {
        SequenceStage first = sequence.stages().get(0);
        if (first.missing()) {
            return null;
        }
        List<Expr> firstKeys = stageKeys(sequence, first);
        if (firstKeys.stream().noneMatch(WindowDetection::narrowable)) {
            return null;
        }
        ReadFilter filters = new ReadFilter(new PushDownTranslator(prepared.types(), prepared.rule().eventCategoryField()));
        List<Set<Object>> seen = new ArrayList<>();
        firstKeys.forEach(k -> seen.add(new LinkedHashSet<>()));
        long seedRead;
        long seedSkipped;
        ReadRequest seeds = request(prepared.rule(), filters.stage(first, sequence.by()), window);
        try (EventStream stream = reader.read(seeds)) {
            int candidates = 0;
            while (stream.hasNext()) {
                Event event = stream.next();
                if (!prepared.evaluator().matches(first.event(), event)) {
                    continue;
                }
                if (++candidates > MAX_SEED_EVENTS) {
                    return null;
                }
                for (int i = 0; i < firstKeys.size(); i++) {
                    seen.get(i).addAll(prepared.evaluator().joinValues(firstKeys.get(i), event));
                }
            }
            seedRead = stream.eventsRead();
            seedSkipped = stream.skipped();
        }
        if (seen.stream().allMatch(Set::isEmpty)) {
            return new Result(List.of(), seedRead, seedSkipped);
        }
        ArrayNode stages = JsonNodeFactory.instance.arrayNode();
        List<SequenceStage> toRead = new ArrayList<>(sequence.stages());
        if (sequence.until() != null) {
            toRead.add(sequence.until());
        }
        for (SequenceStage stage : toRead) {
            stages.add(narrowByKeys(filters.stage(stage, sequence.by()), stageKeys(sequence, stage), seen));
        }
        ObjectNode any = JsonNodeFactory.instance.objectNode();
        any.putObject("bool").put("minimum_should_match", 1).set("should", stages);
        Result found = read(prepared, any, prepared.rule().timestampField(), window, null);
        return new Result(found.matches(), seedRead + found.eventsRead(), seedSkipped + found.eventsSkipped(),
                found.peakOpenSequences());
    }

    /** A stage's full join key: the sequence's shared keys, then the stage's own. */
    private static List<Expr> stageKeys(SequenceQuery sequence, SequenceStage stage) {
        List<Expr> keys = new ArrayList<>(sequence.by());
        keys.addAll(stage.by());
        return keys;
    }

    private static boolean narrowable(Expr key) {
        return key instanceof Expr.Field field && !field.optional();
    }

    private Result detectLateEvents(PreparedRule prepared, TimeWindow window) {
        Rule rule = prepared.rule();
        List<Expr> keys = sharedKeys(rule.query());
        Set<String> arrivedIds = new HashSet<>();
        List<Set<Object>> keyValues = new ArrayList<>();
        keys.forEach(k -> keyValues.add(new LinkedHashSet<>()));
        Instant earliest = null;
        Instant latest = null;
        long arrivedCount;
        long skipped;
        ReadRequest arrivals = request(rule, prepared.readFilter(), window).withRangeField(rule.timestampOverride());
        try (EventStream stream = reader.read(arrivals)) {
            while (stream.hasNext()) {
                Event event = stream.next();
                arrivedIds.add(identity(event));
                earliest = earliest == null || event.timestamp().isBefore(earliest) ? event.timestamp() : earliest;
                latest = latest == null || event.timestamp().isAfter(latest) ? event.timestamp() : latest;
                for (int i = 0; i < keys.size(); i++) {
                    keyValues.get(i).addAll(prepared.evaluator().joinValues(keys.get(i), event));
                }
            }
            arrivedCount = stream.eventsRead();
            skipped = stream.skipped();
        }
        if (arrivedIds.isEmpty()) {
            return new Result(List.of(), arrivedCount, skipped);
        }
        if (!(rule.query().body() instanceof SequenceQuery) && !(rule.query().body() instanceof SampleQuery)) {
            // An event query needs no neighbours: what arrived is what can match.
            return read(prepared, prepared.readFilter(), rule.windowField(), window, null);
        }
        Duration reach = neighbourReach(rule);
        TimeWindow neighbourhood = new TimeWindow(earliest.minus(reach), latest.plus(reach));
        ObjectNode filter = narrowByKeys(prepared.readFilter(), keys, keyValues);
        Result around = read(prepared, filter, rule.timestampField(), neighbourhood, arrivedIds);
        return new Result(around.matches(), arrivedCount + around.eventsRead(), skipped + around.eventsSkipped(),
                around.peakOpenSequences());
    }

    private Result read(PreparedRule prepared, ObjectNode filter, String rangeField, TimeWindow window,
            Set<String> mustContainOneOf) {
        List<Match> matches = new ArrayList<>();
        QueryRunner runner = new QueryRunner(prepared.rule().query(), prepared.evaluator(), match -> {
            if (mustContainOneOf == null || match.events().stream().anyMatch(e -> mustContainOneOf.contains(identity(e)))) {
                matches.add(match);
            }
        });
        ReadRequest request = request(prepared.rule(), filter, window).withRangeField(rangeField);
        long read;
        long skipped;
        try (EventStream stream = reader.read(request)) {
            while (stream.hasNext() && !runner.satisfied()) {
                runner.accept(stream.next());
            }
            read = stream.eventsRead();
            skipped = stream.skipped();
        }
        RunCounters counters = runner.finish();
        return new Result(matches, read, skipped, counters.peakPendingSequences());
    }

    private ReadRequest request(Rule rule, ObjectNode filter, TimeWindow window) {
        ReadRequest request = ReadRequest.of(rule.index(), filter, window.start(), window.end())
                .withTimestampField(rule.timestampField())
                .withPageSize(pageSize);
        return rule.tiebreakerField() == null ? request : request.withTiebreakerField(rule.tiebreakerField());
    }

    private static String identity(Event event) {
        return event.index() + "\u0000" + event.id();
    }

    /** How far from a newly arrived event its sequence partners can lie in time. */
    private static Duration neighbourReach(Rule rule) {
        if (rule.query().body() instanceof SequenceQuery sequence && sequence.maxspan() != null) {
            return sequence.maxspan();
        }
        // Without a maxspan a sequence is bounded only by what a run reads: the look-back.
        return rule.lookBack();
    }

    private static List<Expr> sharedKeys(Query query) {
        if (query.body() instanceof SequenceQuery sequence) {
            return sequence.by();
        }
        if (query.body() instanceof SampleQuery sample) {
            return sample.by();
        }
        return List.of();
    }

    /**
     * Adds {@code terms} on each plain join-key field, so that only the newly arrived events' keys
     * are read back. Optional and computed keys are left unfiltered, which only widens the read.
     */
    static ObjectNode narrowByKeys(ObjectNode filter, List<Expr> keys, List<Set<Object>> values) {
        ArrayNode clauses = JsonNodeFactory.instance.arrayNode();
        clauses.add(filter);
        for (int i = 0; i < keys.size(); i++) {
            if (!narrowable(keys.get(i)) || !(keys.get(i) instanceof Expr.Field field)
                    || values.get(i).isEmpty() || values.get(i).size() > MAX_KEY_TERMS) {
                continue;
            }
            ArrayNode terms = JsonNodeFactory.instance.arrayNode();
            for (Object value : values.get(i)) {
                if (value instanceof Number number) {
                    terms.add(number.toString());
                } else if (value != null) {
                    terms.add(value.toString());
                }
            }
            ObjectNode clause = JsonNodeFactory.instance.objectNode();
            clause.putObject("terms").set(field.name(), terms);
            clauses.add(clause);
        }
        ObjectNode bool = JsonNodeFactory.instance.objectNode();
        bool.putObject("bool").set("filter", clauses);
        return bool;
    }
}
