package io.eqlwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.eqlwatch.eql.analysis.QueryFields;
import io.eqlwatch.eql.eval.FieldReader;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.source.FieldMappings;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's measurement: two ways to read values as Elasticsearch's EQL does. (a) {@code _source}, with the
 * mapping resolved by eqlwatch (alias targets, null_value, formats) as the engine does now; (b) the search
 * {@code fields} option with only the fields the rule reads and {@code _source} off, as Elasticsearch's
 * FieldHitExtractor does. Same documents, same rule, alternating rounds; both must give the same values. The
 * figures go to target/read-values-benchmark.txt and into README (Performance); timings are not asserted.
 */
class ReadValuesBenchmarkIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final int ROUNDS = 5;
    private static final int PAGE = 1000;

    @Test
    void sourceAgainstTheFieldsOption() throws IOException {
        Rule rule = new RuleLoader().loadFile(Path.of("rules/lateral_tool_transfer_smb.yml"));
        PushDownBenchmark bench = new PushDownBenchmark(ES.client(), ES.url(), 500);
        String namespace = ES.uniqueIndexName("readvalues").replace("-", "");
        PushDownBenchmark.Load load = bench.load(new Workload(20_000, 300, 0.002, 0.02, 1000, null, 5), namespace);
        try {
            List<String> fields = new ArrayList<>(QueryFields.readBy(rule.query(), rule.eventCategoryField()));
            FieldTypes types = new FieldMappings(ES.client(), ES.url()).forFields(load.indices(), fields);
            long[] source = new long[ROUNDS];
            long[] option = new long[ROUNDS];
            List<String> fromSource = null;
            List<String> fromOption = null;
            for (int round = 0; round < ROUNDS; round++) {
                long t0 = System.nanoTime();
                fromSource = readSource(load.indices(), fields, types);
                source[round] = System.nanoTime() - t0;
                long t1 = System.nanoTime();
                fromOption = readFieldsOption(load.indices(), fields);
                option[round] = System.nanoTime() - t1;
            }
            assertEquals(20_000 * fields.size(), fromSource.size());
            assertEquals(fromSource, fromOption, "both ways read the same values");
            Arrays.sort(source);
            Arrays.sort(option);
            double s = source[ROUNDS / 2] / 1e6;
            double f = option[ROUNDS / 2] / 1e6;
            String report = String.format(
                    java.util.Locale.ROOT,
                    "20000 events, %d fields read, median of %d rounds: _source %.0f ms, fields option %.0f ms, "
                            + "fields/_source %.2f (Elasticsearch %s)%n",
                    fields.size(),
                    ROUNDS,
                    s,
                    f,
                    f / s,
                    ES.serverVersion());
            System.out.print(report);
            Files.writeString(
                    Path.of("target", "read-values-benchmark.txt"),
                    report,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } finally {
            bench.delete(load);
        }
    }

    /** Every value of every field, per event in order, as the engine reads them from _source. */
    private static List<String> readSource(List<String> indices, List<String> fields, FieldTypes types)
            throws IOException {
        List<FieldReader> readers =
                fields.stream().map(f -> FieldReader.of(f, types)).toList();
        List<String> out = new ArrayList<>();
        List<FieldValue> after = null;
        while (true) {
            List<FieldValue> from = after;
            @SuppressWarnings({"rawtypes", "unchecked"})
            SearchResponse<Map<String, Object>> page = (SearchResponse) ES.client()
                    .search(
                            s -> {
                                s.index(indices)
                                        .size(PAGE)
                                        .trackTotalHits(t -> t.enabled(false))
                                        .sort(o -> o.field(
                                                x -> x.field("@timestamp").order(SortOrder.Asc)))
                                        .sort(o -> o.field(x -> x.field("_doc").order(SortOrder.Asc)));
                                if (from != null) {
                                    s.searchAfter(from);
                                }
                                return s;
                            },
                            Map.class);
            for (Hit<Map<String, Object>> hit : page.hits().hits()) {
                Event event = new Event(hit.id(), hit.index(), Instant.EPOCH, null, hit.source());
                for (FieldReader reader : readers) {
                    out.add(String.valueOf(reader.values(event)));
                }
                after = hit.sort();
            }
            if (page.hits().hits().size() < PAGE) {
                return out;
            }
        }
    }

    /** The same through the fields option, _source off. */
    private static List<String> readFieldsOption(List<String> indices, List<String> fields) throws IOException {
        List<String> out = new ArrayList<>();
        List<FieldValue> after = null;
        while (true) {
            List<FieldValue> from = after;
            @SuppressWarnings({"rawtypes", "unchecked"})
            SearchResponse<Map<String, Object>> page = (SearchResponse) ES.client()
                    .search(
                            s -> {
                                s.index(indices)
                                        .size(PAGE)
                                        .trackTotalHits(t -> t.enabled(false))
                                        .source(src -> src.fetch(false))
                                        .sort(o -> o.field(
                                                x -> x.field("@timestamp").order(SortOrder.Asc)))
                                        .sort(o -> o.field(x -> x.field("_doc").order(SortOrder.Asc)));
                                for (String field : fields) {
                                    s.fields(f -> f.field(field));
                                }
                                if (from != null) {
                                    s.searchAfter(from);
                                }
                                return s;
                            },
                            Map.class);
            for (Hit<Map<String, Object>> hit : page.hits().hits()) {
                for (String field : fields) {
                    var values = hit.fields().get(field);
                    @SuppressWarnings("unchecked") // JsonData.to(Class) cannot carry the element type
                    List<Object> list = values == null ? List.of() : values.to(List.class);
                    out.add(String.valueOf(normalise(list)));
                }
                after = hit.sort();
            }
            if (page.hits().hits().size() < PAGE) {
                return out;
            }
        }
    }

    /** The fields option returns longs and keywords as JSON; compare them as the engine holds them. */
    private static List<Object> normalise(List<Object> values) {
        return values.stream()
                .map(v -> v instanceof Integer i ? (Object) i.longValue() : v)
                .toList();
    }
}
