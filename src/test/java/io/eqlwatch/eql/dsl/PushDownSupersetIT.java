package io.eqlwatch.eql.dsl;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.event.Event;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 3 item 3 against a real Elasticsearch: random events are indexed (keyword, long, ip and
 * boolean fields mapped as declared, plus a field the translator is told nothing about), random
 * conditions are translated, and every event the real evaluator accepts must come back from the
 * translated query.
 */
class PushDownSupersetIT {

    private static final ElasticsearchHarness ES = ElasticsearchHarness.shared();
    private static final String INDEX = ES.uniqueIndexName("eqlwatch-pushdown");
    private static final AtomicInteger BATCH = new AtomicInteger();

    static {
        ES.createIndex(
                INDEX,
                ElasticsearchHarness.json(
                        """
                {"properties": {
                  "event": {"properties": {"category": {"type": "keyword"}}},
                  "kw": {"type": "keyword"}, "num": {"type": "long"}, "ip": {"type": "ip"},
                  "flag": {"type": "boolean"}, "free": {"type": "keyword"}, "batch": {"type": "keyword"}
                }}"""));
    }

    private final Evaluator evaluator = new Evaluator(PushDownSupersetPropertyTest.TYPES);
    private final PushDownTranslator translator = new PushDownTranslator(PushDownSupersetPropertyTest.TYPES);

    @AfterContainer
    static void dropIndex() {
        ES.deleteIndices(INDEX);
    }

    @Property(tries = 30)
    void translatedQueryReturnsEveryEventTheEvaluatorAccepts(
            @ForAll("queryLists") List<EventQuery> queries, @ForAll("eventLists") List<Event> events)
            throws IOException {
        String batch = "b" + BATCH.incrementAndGet();
        List<Map<String, Object>> documents = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> document = new LinkedHashMap<>(events.get(i).source());
            document.put("batch", batch);
            documents.add(document);
            ids.add(batch + "-" + i);
        }
        ES.bulkIndex(INDEX, documents, ids);
        for (EventQuery query : queries) {
            try {
                evaluator.compile(query);
            } catch (RuntimeException rejectedLikeElasticsearchWould) {
                Statistics.label("query accepted by the evaluator").collect(false);
                continue;
            }
            Statistics.label("query accepted by the evaluator").collect(true);
            ObjectNode dsl = translator.translate(query);
            Set<String> returned = search(dsl, batch);
            for (int i = 0; i < events.size(); i++) {
                boolean accepted = evaluator.matches(query, events.get(i));
                Statistics.label("event accepted").collect(accepted);
                if (accepted && !returned.contains(ids.get(i))) {
                    throw new AssertionError(
                            "evaluator accepts " + events.get(i).source() + "\nfor " + query
                                    + "\nbut Elasticsearch does not return it for " + dsl);
                }
            }
        }
    }

    private Set<String> search(ObjectNode dsl, String batch) throws IOException {
        Query translated = Query.of(q -> q.withJson(new StringReader(dsl.toString())));
        SearchResponse<ObjectNode> response = ES.client()
                .search(
                        s -> s.index(INDEX)
                                .size(100)
                                .query(q -> q.bool(b -> b.filter(translated)
                                        .filter(f ->
                                                f.term(t -> t.field("batch").value(batch))))),
                        ObjectNode.class);
        Set<String> ids = new HashSet<>();
        for (Hit<ObjectNode> hit : response.hits().hits()) {
            ids.add(hit.id());
        }
        return ids;
    }

    @Provide
    Arbitrary<List<Event>> eventLists() {
        return PushDownSupersetPropertyTest.event().list().ofMinSize(5).ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<EventQuery>> queryLists() {
        return PushDownSupersetPropertyTest.query().list().ofMinSize(20).ofMaxSize(40);
    }
}
