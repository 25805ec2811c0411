package io.eqlwatch.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.eqlwatch.engine.Match;
import io.eqlwatch.engine.QueryRunner;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.analysis.Problem;
import io.eqlwatch.eql.analysis.QueryFields;
import io.eqlwatch.eql.analysis.Verifier;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.ElasticsearchClients;
import io.eqlwatch.es.ElasticsearchConnection;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.QueryPlan;
import io.eqlwatch.plan.ReadSpec;
import io.eqlwatch.schedule.TimeWindow;
import io.eqlwatch.schedule.WindowDetection;
import io.eqlwatch.source.EventFileException;
import io.eqlwatch.source.EventFiles;
import io.eqlwatch.source.EventReader;
import io.eqlwatch.source.FieldMappings;
import io.eqlwatch.source.ReadRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eqlwatch query}: runs one EQL query for hunting or for trying a rule out, over a file of
 * events (no Elasticsearch needed) or over Elasticsearch indices, and prints the matches.
 */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs an EQL query over a file of events (NDJSON or a JSON array; no Elasticsearch needed),"
                    + " or with --index over Elasticsearch, and prints the matches in the order Elasticsearch returns them.",
            "A line or element of the file that is not a usable event (bad JSON, no valid timestamp) is reported"
                    + " with its line number and skipped; --strict stops instead.",
            "Exit codes: 0 done (with or without matches), 2 bad input (query syntax, unreadable file, bad option)."
        })
final class QueryCommand implements Callable<Integer> {

    enum Format {
        table,
        ndjson
    }

    private static final int MALFORMED_SHOWN = 20;

    @Option(
            names = "--eql",
            required = true,
            paramLabel = "QUERY|@FILE",
            description = "The EQL query, or @file to read it from a file.")
    String eql;

    @Option(
            names = "--events",
            paramLabel = "FILE",
            description = "File of events: NDJSON (one JSON object a line) or a JSON array. Each event's _id and _index"
                    + " are used when present (else the line number and the file name).")
    Path events;

    @Option(
            names = "--index",
            split = ",",
            paramLabel = "INDEX",
            description =
                    "Query Elasticsearch instead of a file: index names or patterns (repeatable or comma-separated).")
    List<String> indices;

    @Option(
            names = "--from",
            defaultValue = "now-24h",
            paramLabel = "TIME",
            description = "With --index: window start, e.g. now-9m or 2026-11-28T12:00:00Z (default ${DEFAULT-VALUE}).")
    String from;

    @Option(
            names = "--to",
            defaultValue = "now",
            paramLabel = "TIME",
            description = "With --index: window end (default ${DEFAULT-VALUE}).")
    String to;

    @Option(
            names = "--event-category-field",
            defaultValue = Evaluator.DEFAULT_CATEGORY_FIELD,
            paramLabel = "FIELD",
            description = "Field that 'category where' tests (default ${DEFAULT-VALUE}).")
    String categoryField;

    @Option(
            names = "--timestamp-field",
            defaultValue = ReadRequest.DEFAULT_TIMESTAMP_FIELD,
            paramLabel = "FIELD",
            description = "Field holding each event's time: ISO-8601 or epoch milliseconds (default ${DEFAULT-VALUE}).")
    String timestampField;

    @Option(
            names = "--tiebreaker-field",
            paramLabel = "FIELD",
            description = "Field ordering events of equal time, e.g. event.sequence (default: none).")
    String tiebreakerField;

    @Option(
            names = "--format",
            defaultValue = "table",
            paramLabel = "table|ndjson",
            description = "table (readable) or ndjson (one {\"events\": [...], \"join_keys\": [...]} line per match)."
                    + " Default ${DEFAULT-VALUE}.")
    Format format;

    @Option(
            names = "--strict",
            description = "With --events: stop with exit code 2 at the first unusable event instead of skipping it.")
    boolean strict;

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ((events == null) == (indices == null || indices.isEmpty())) {
            throw new UserFacingException(
                    "give either --events FILE (query a file) or --index INDEX (query Elasticsearch)");
        }
        Query query = QueryText.parse(QueryText.load(eql));
        Result result = events != null ? overFile(query) : overElasticsearch(query);
        print(query, result);
        return 0;
    }

    private record Result(List<Match> matches, long eventsRead, String where, List<EventFiles.Malformed> malformed) {}

    private Result overFile(Query query) {
        EventFiles.Contents contents;
        try {
            contents = new EventFiles(timestampField, tiebreakerField).read(events);
        } catch (EventFileException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        List<EventFiles.Malformed> malformed = contents.malformed();
        if (!malformed.isEmpty() && (strict || contents.events().isEmpty())) {
            String first = malformed.get(0).toString();
            throw new UserFacingException(
                    strict ? first + " (--strict)" : "no usable event in " + events + "; the first problem: " + first);
        }
        // without a mapping, the timestamp field is still known to be a date: its epoch millis and ISO text
        // then compare as the same instants, as in an index with Elasticsearch's default date mapping
        Evaluator evaluator = new Evaluator(FieldTypes.assumed(Map.of(timestampField, FieldType.DATE)), categoryField);
        List<Match> matches = QueryRunner.run(Planner.forMatching(query, evaluator), contents.events());
        return new Result(matches, contents.events().size(), events.toString(), malformed);
    }

    private Result overElasticsearch(Query query) {
        Instant now = Instant.now();
        Instant start = TimeArgument.parse("--from", from, now);
        Instant end = TimeArgument.parse("--to", to, now);
        if (end.isBefore(start)) {
            throw new UserFacingException("--to (" + end + ") is before --from (" + start + ")");
        }
        ElasticsearchConnection conn = ConnectedServices.connection(connection);
        ElasticsearchClient client = ElasticsearchClients.create(conn);
        try {
            FieldTypes types =
                    new FieldMappings(client, conn.url()).forFields(indices, QueryFields.readBy(query, categoryField));
            List<Problem> problems = Verifier.verify(query, types);
            if (!problems.isEmpty()) {
                throw new UserFacingException("Elasticsearch would refuse the query against the mappings of " + indices
                        + ": "
                        + String.join(
                                "; ", problems.stream().map(Problem::toString).toList()));
            }
            QueryPlan plan = Planner.plan(query, types, categoryField);
            WindowDetection.Result found = new WindowDetection(
                            new EventReader(client, conn.url()), ReadRequest.DEFAULT_PAGE_SIZE)
                    .detect(
                            plan,
                            new ReadSpec(indices, timestampField, null, tiebreakerField),
                            new TimeWindow(start, end));
            List<Match> matches = found.matches();
            long read = found.eventsRead();
            return new Result(
                    matches, read, indices + " on " + conn.url() + " between " + start + " and " + end, List.of());
        } catch (ElasticsearchCallException e) {
            throw new UserFacingException(e.getMessage(), e);
        } finally {
            try {
                client._transport().close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }

    private void print(Query query, Result result) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<EventFiles.Malformed> malformed = result.malformed();
        for (int i = 0; i < malformed.size() && i < MALFORMED_SHOWN; i++) {
            err.println("eqlwatch: skipped " + malformed.get(i));
        }
        if (malformed.size() > MALFORMED_SHOWN) {
            err.println("eqlwatch: ... and " + (malformed.size() - MALFORMED_SHOWN) + " more unusable event(s)");
        }
        boolean joinKeys = Planner.shapeOf(query).joins();
        String summary = result.matches().size() + " match(es) over " + result.eventsRead() + " event(s) from "
                + result.where() + (malformed.isEmpty() ? "" : "; " + malformed.size() + " unusable event(s) skipped");
        if (format == Format.ndjson) {
            NdjsonMatches lines = new NdjsonMatches(joinKeys);
            result.matches().forEach(m -> out.println(lines.line(m)));
            err.println(summary); // stdout stays pure NDJSON
        } else {
            MatchTable table = new MatchTable(timestampField, categoryField, joinKeys);
            for (int i = 0; i < result.matches().size(); i++) {
                table.add(i + 1, result.matches().get(i));
            }
            if (!result.matches().isEmpty()) {
                table.print(out);
                out.println();
            }
            out.println(summary);
        }
        out.flush();
        err.flush();
    }
}
