package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.dsl.DslInterpreter;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.plan.Planner;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.FieldTypeLookup;
import io.eqlwatch.testing.SmbTestData;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The union a shared read asks for: each rule's filter where that rule reads, so that a broad filter of one
 * rule does not fetch the events of another rule's indices; and every filter on an index the batch did not
 * know, so that an index created since the batch resolved its patterns is still read.
 */
class SharedReadUnionTest {

    private static final Instant AT = Instant.parse("2026-11-28T12:00:00Z");
    private static final String NETWORK = "logs-endpoint.events.network-default";
    private static final String FILE = "logs-endpoint.events.file-default";
    private static final String FILE_ROLLED_OVER = "logs-endpoint.events.file-default-000002";

    private static final FieldTypeLookup CLUSTER = new FieldTypeLookup() {
        @Override
        public FieldTypes read(List<String> indices) {
            return SmbTestData.TYPES;
        }

        @Override
        public Map<String, Set<String>> namesByIndex(Collection<String> patterns) {
            Map<String, Set<String>> known = new LinkedHashMap<>();
            known.put(NETWORK, Set.of());
            known.put(FILE, Set.of());
            return known;
        }
    };

    private final DslInterpreter elasticsearch = new DslInterpreter(SmbTestData.TYPES);

    private final RulePlan broadOnNetwork = plan("broad", List.of("logs-endpoint.events.network-*"), "any where true");
    private final RulePlan systemFiles =
            plan("system-files", List.of("logs-endpoint.events.file-*"), "file where process.pid == 4");

    @Test
    void aBroadFilterOfOneRuleDoesNotFetchTheEventsOfAnotherRulesIndices() {
        ObjectNode union = union();

        assertEquals(true, elasticsearch.matches(union, event(NETWORK, "network", 77)), "the broad rule's own index");
        assertEquals(true, elasticsearch.matches(union, event(FILE, "file", 4)), "the file rule's own filter");
        assertEquals(
                false,
                elasticsearch.matches(union, event(FILE, "file", 77)),
                "a file event only the broad rule's filter passes, on an index it does not read");
    }

    @Test
    void anIndexTheBatchDidNotKnowKeepsEveryFilter() {
        ObjectNode union = union();

        assertEquals(true, elasticsearch.matches(union, event(FILE_ROLLED_OVER, "file", 77)));
        assertEquals(true, elasticsearch.matches(union, event(FILE_ROLLED_OVER, "file", 4)));
    }

    @Test
    void withNoIndexKnownTheUnionIsThePlainOneOfTheFilters() {
        FieldTypeLookup unknown = indices -> SmbTestData.TYPES;
        ObjectNode union = SharedRead.unionOnOwnIndices(
                List.of(broadOnNetwork, systemFiles), new IndexMembership(unknown, List.of("logs-endpoint.events.*")));

        assertEquals(true, elasticsearch.matches(union, event(FILE, "file", 77)));
    }

    private ObjectNode union() {
        return SharedRead.unionOnOwnIndices(
                List.of(broadOnNetwork, systemFiles),
                new IndexMembership(CLUSTER, List.of("logs-endpoint.events.network-*", "logs-endpoint.events.file-*")));
    }

    private static RulePlan plan(String id, List<String> indices, String eql) {
        Rule rule = SmbTestData.rule(eql, 100, null).toBuilder()
                .identity(id, "rule " + id)
                .index(indices)
                .build();
        return Planner.plan(rule, SmbTestData.TYPES);
    }

    private static Event event(String index, String category, int pid) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("@timestamp", AT.toString());
        source.put("event", Map.of("category", category));
        source.put("host", Map.of("id", "h1"));
        source.put("process", Map.of("pid", pid));
        return new Event(index + "-" + pid, index, AT, null, source);
    }
}
