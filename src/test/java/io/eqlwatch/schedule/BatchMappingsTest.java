package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.FieldTypeLookup;
import io.eqlwatch.testing.SmbTestData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A batch asks the cluster once per index list and once for all patterns, and answers as the cluster would. */
class BatchMappingsTest {

    private final List<String> calls = new ArrayList<>();

    /** A cluster with one data stream (two backing indices, one aliased) and one plain index. */
    private final FieldTypeLookup cluster = new FieldTypeLookup() {
        @Override
        public FieldTypes read(List<String> indices) {
            calls.add("types " + indices);
            return SmbTestData.TYPES;
        }

        @Override
        public FieldTypes forFields(List<String> indices, Collection<String> fieldsRead) {
            calls.add("types " + indices + " details " + fieldsRead);
            return SmbTestData.TYPES;
        }

        @Override
        public List<String> matchingNothing(List<String> indices) {
            throw new AssertionError("asked pattern by pattern: " + indices);
        }

        @Override
        public Map<String, Set<String>> namesByIndex(Collection<String> indices) {
            calls.add("resolve " + indices);
            return Map.of(
                    ".ds-logs-endpoint.events.network-default-000001", Set.of("logs-endpoint.events.network-default"),
                    ".ds-logs-endpoint.events.network-default-000002",
                            Set.of("logs-endpoint.events.network-default", "network-alias"),
                    "winlogbeat-8.19.0", Set.of());
        }

        @Override
        public boolean listsIndexNames() {
            return true;
        }
    };

    private static Rule rule(String id, List<String> indices, String eql) {
        Rule smb = SmbTestData.rule(eql, 100, null);
        return smb.toBuilder().identity(id, smb.name()).index(indices).build();
    }

    @Test
    void rulesOverTheSameIndicesCostOneMappingLookupWithTheFieldsOfAll() {
        List<String> network = List.of("logs-endpoint.events.network-*");
        Rule first = rule("a", network, "network where process.pid == 4");
        Rule second = rule("b", network, "network where host.id == \"h\"");
        BatchMappings mappings = new BatchMappings(cluster, List.of(first, second));

        mappings.forFields(network, List.of("event.category", "process.pid"));
        mappings.forFields(network, List.of("event.category", "host.id"));

        List<String> lookups = calls.stream().filter(c -> c.startsWith("types")).toList();
        assertEquals(1, lookups.size(), calls.toString());
        assertTrue(lookups.get(0).contains("host.id") && lookups.get(0).contains("process.pid"), calls.toString());
    }

    @Test
    void listsThatDifferOnlyInPatternsMatchingNothingShareOneLookupAndOneMatchingNothingNeedsNone() {
        List<String> withTypo = List.of("typo-*", "logs-endpoint.events.network-*");
        List<String> plain = List.of("logs-endpoint.events.network-*");
        List<String> nothing = List.of("typo-*", "endgame-*");
        Rule first = rule("a", withTypo, "network where process.pid == 4");
        Rule second = rule("b", plain, "network where host.id == \"h\"");
        Rule third = rule("c", nothing, "network where true");
        BatchMappings mappings = new BatchMappings(cluster, List.of(first, second, third));

        mappings.forFields(withTypo, List.of("event.category", "process.pid"));
        mappings.forFields(plain, List.of("event.category", "host.id"));
        FieldTypes none = mappings.forFields(nothing, List.of("event.category"));

        List<String> lookups = calls.stream().filter(c -> c.startsWith("types")).toList();
        assertEquals(1, lookups.size(), calls.toString());
        assertTrue(lookups.get(0).startsWith("types " + plain), lookups.toString());
        assertTrue(lookups.get(0).contains("host.id") && lookups.get(0).contains("process.pid"), lookups.toString());
        assertEquals(new FieldTypes(Map.of()), none, "what the cluster answers for indices that do not exist");
    }

    @Test
    void onePatternMatchesNothingWhenNoIndexAliasOrDataStreamBearsAMatchingName() {
        List<String> patterns = List.of(
                "logs-endpoint.events.network-*",
                "network-alias",
                "winlogbeat-*",
                "logs-endpoint.events.file-*",
                "typo-*");
        BatchMappings mappings = new BatchMappings(cluster, List.of(rule("a", patterns, "any where true")));

        assertEquals(List.of("logs-endpoint.events.file-*", "typo-*"), mappings.matchingNothing(patterns));
        assertEquals(List.of("typo-*"), mappings.matchingNothing(List.of("typo-*")));
        assertEquals(1, calls.stream().filter(c -> c.startsWith("resolve")).count(), "one resolve: " + calls);
    }

    @Test
    void anEventBelongsToARuleThroughItsIndexItsAliasOrItsDataStream() {
        IndexMembership membership = new IndexMembership(cluster, List.of("logs-*", "winlogbeat-*"));

        assertTrue(membership.belongs(
                ".ds-logs-endpoint.events.network-default-000001", List.of("logs-endpoint.events.network-*")));
        assertTrue(membership.belongs(".ds-logs-endpoint.events.network-default-000002", List.of("network-alias")));
        assertFalse(membership.belongs(".ds-logs-endpoint.events.network-default-000001", List.of("network-alias")));
        assertTrue(membership.belongs("winlogbeat-8.19.0", List.of("winlogbeat-*")));
        assertFalse(membership.belongs("winlogbeat-8.19.0", List.of("logs-*")));
        assertTrue(IndexMembership.matches("logs-*-default*", "logs-endpoint.events.file-default-01"));
        assertFalse(IndexMembership.matches("logs-*-default", "logs-endpoint.events.file-default-01"));
    }
}
