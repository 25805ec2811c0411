package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.plan.RulePlan;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.source.FieldTypeLookup;
import io.eqlwatch.tuning.ExceptionMatcher;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A rule meets the mapping once, for every field it reads or its exceptions test. */
class RuleCompilerTest {

    private static final Rule RULE = new RuleLoader()
            .parse(
                    """
                    rule_id: r1
                    name: r
                    description: d
                    type: eql
                    index: [logs-*]
                    severity: low
                    risk_score: 21
                    query: 'network where destination.port == 445'
                    exceptions:
                      - name: Backup subnet
                        entries:
                          - {field: source.ip, type: match, value: 10.20.0.0/16}
                          - field: threat.enrichments
                            type: nested
                            entries:
                              - {field: indicator.type, type: match, value: ipv4-addr}
                    """,
                    null);

    @Test
    void theExceptionsFieldsAreLookedUpWithTheQuerysSoTheyCompareAsMapped() {
        Set<String> asked = new TreeSet<>();
        FieldTypeLookup mappings = new FieldTypeLookup() {
            @Override
            public FieldTypes read(List<String> indices) {
                throw new AssertionError("the compiler names the fields it needs");
            }

            @Override
            public FieldTypes forFields(List<String> indices, Collection<String> fieldsRead) {
                asked.addAll(fieldsRead);
                return new FieldTypes(Map.of("destination.port", FieldType.LONG, "source.ip", FieldType.IP));
            }
        };
        RulePlan plan = new RuleCompiler(mappings).compile(RULE);

        assertTrue(
                asked.containsAll(Set.of(
                        "destination.port", "source.ip", "threat.enrichments", "threat.enrichments.indicator.type")),
                asked.toString());
        // An IP's exception value is a CIDR block only when the field is known to be an IP.
        ExceptionMatcher matcher =
                ExceptionMatcher.of(RULE.tuning().exceptions().subList(0, 1), plan.types(), Instant.EPOCH);
        assertEquals(FieldType.IP, plan.types().of("source.ip"));
        Event backup = new Event(
                "1",
                "logs",
                Instant.EPOCH,
                null,
                Map.of(
                        "source",
                        Map.of("ip", "10.20.3.4"),
                        "threat",
                        Map.of("enrichments", List.of(Map.of("indicator", Map.of("type", "ipv4-addr"))))));
        assertTrue(matcher.excepts(backup));
        assertFalse(matcher.excepts(new Event(
                "2",
                "logs",
                Instant.EPOCH,
                null,
                Map.of(
                        "source",
                        Map.of("ip", "10.21.3.4"),
                        "threat",
                        Map.of("enrichments", List.of(Map.of("indicator", Map.of("type", "ipv4-addr"))))))));
    }
}
