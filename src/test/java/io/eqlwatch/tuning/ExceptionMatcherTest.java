package io.eqlwatch.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.event.MappedField;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ExceptionMatcherTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final FieldTypes TYPES = new FieldTypes(Map.of(
            "source.ip",
            FieldType.IP,
            "destination.port",
            FieldType.LONG,
            "host.name",
            FieldType.KEYWORD,
            "file.path",
            FieldType.KEYWORD,
            "message",
            FieldType.TEXT,
            "process.args",
            FieldType.KEYWORD,
            "threat.enrichments.indicator.type",
            FieldType.KEYWORD,
            "threat.enrichments.matched.atomic",
            FieldType.KEYWORD));

    private static Event event(Map<String, Object> source) {
        return new Event("1", "logs", NOW, null, source);
    }

    private static ExceptionItem item(ExceptionEntry... entries) {
        return new ExceptionItem("i1", null, "backup servers", "", List.of(entries), null, List.of(), List.of());
    }

    private static boolean excepts(ExceptionItem item, Map<String, Object> source) {
        return ExceptionMatcher.of(List.of(item), TYPES, NOW).excepts(event(source));
    }

    private static ExceptionEntry.Match is(String field, String value) {
        return new ExceptionEntry.Match(field, Operator.INCLUDED, value);
    }

    @Nested
    class Match {
        @Test
        void keywordValuesCompareExactlyAndCaseCounts() {
            ExceptionItem item = item(is("host.name", "SRV-BACKUP01"));
            assertTrue(excepts(item, Map.of("host", Map.of("name", "SRV-BACKUP01"))));
            assertFalse(excepts(item, Map.of("host", Map.of("name", "srv-backup01"))));
            assertFalse(excepts(item, Map.of("host", Map.of("name", "SRV-BACKUP011"))));
        }

        @Test
        void anyValueOfAMultiValuedFieldMatches() {
            ExceptionItem item = item(is("process.args", "-silent"));
            assertTrue(excepts(item, Map.of("process.args", List.of("setup.exe", "-silent"))));
        }

        @Test
        void ipFieldsCompareAsAddressesAndACidrValueMatchesItsBlock() {
            assertTrue(excepts(item(is("source.ip", "10.0.0.7")), Map.of("source", Map.of("ip", "10.0.0.7"))));
            assertTrue(excepts(item(is("source.ip", "::1")), Map.of("source", Map.of("ip", "0:0:0:0:0:0:0:1"))));
            ExceptionItem block = item(is("source.ip", "10.0.0.0/24"));
            assertTrue(excepts(block, Map.of("source", Map.of("ip", "10.0.0.200"))));
            assertFalse(excepts(block, Map.of("source", Map.of("ip", "10.0.1.1"))));
        }

        @Test
        void longFieldsCompareByNumberWhateverTheJsonType() {
            ExceptionItem item = item(is("destination.port", "445"));
            assertTrue(excepts(item, Map.of("destination", Map.of("port", 445))));
            assertTrue(excepts(item, Map.of("destination", Map.of("port", "445"))));
            assertFalse(excepts(item, Map.of("destination", Map.of("port", 4450))));
        }

        @Test
        void textFieldsMatchAPhraseOfWordsInOrder() {
            ExceptionItem item = item(is("message", "scheduled backup"));
            assertTrue(excepts(item, Map.of("message", "The Scheduled backup, started by SYSTEM")));
            assertFalse(excepts(item, Map.of("message", "backup scheduled")));
        }

        @Test
        void isNotHoldsWhenNoValueMatchesOrTheFieldIsMissing() {
            ExceptionItem item = item(new ExceptionEntry.Match("host.name", Operator.EXCLUDED, "dc01"));
            assertTrue(excepts(item, Map.of("host", Map.of("name", "ws01"))));
            assertTrue(excepts(item, Map.of()));
            assertFalse(excepts(item, Map.of("host", Map.of("name", "dc01"))));
        }
    }

    @Test
    void matchAnyHoldsWhenSomeValueIsOneOfThem() {
        ExceptionItem item = item(new ExceptionEntry.MatchAny("host.name", Operator.INCLUDED, List.of("a", "b")));
        assertTrue(excepts(item, Map.of("host.name", "b")));
        assertFalse(excepts(item, Map.of("host.name", "c")));
        ExceptionItem not = item(new ExceptionEntry.MatchAny("host.name", Operator.EXCLUDED, List.of("a", "b")));
        assertTrue(excepts(not, Map.of("host.name", "c")));
        assertFalse(excepts(not, Map.of("host.name", "a")));
    }

    @Test
    void existsAndDoesNotExist() {
        ExceptionItem exists = item(new ExceptionEntry.Exists("file.path", Operator.INCLUDED));
        assertTrue(excepts(exists, Map.of("file", Map.of("path", "C:\\x"))));
        assertFalse(excepts(exists, Map.of("file", Map.of("name", "x"))));
        ExceptionItem absent = item(new ExceptionEntry.Exists("file.path", Operator.EXCLUDED));
        assertTrue(excepts(absent, Map.of()));
    }

    @Test
    void wildcardIsCaseSensitiveAndABackslashEscapes() {
        ExceptionItem item = item(new ExceptionEntry.Wildcard("file.path", Operator.INCLUDED, "C:\\\\Deploy\\\\*.exe"));
        assertTrue(excepts(item, Map.of("file.path", "C:\\Deploy\\agent.exe")));
        assertFalse(excepts(item, Map.of("file.path", "c:\\deploy\\agent.exe")));
        assertFalse(excepts(item, Map.of("file.path", "C:\\Deploy\\agent.dll")));
        ExceptionItem question = item(new ExceptionEntry.Wildcard("host.name", Operator.INCLUDED, "srv-0?"));
        assertTrue(excepts(question, Map.of("host.name", "srv-07")));
        assertFalse(excepts(question, Map.of("host.name", "srv-107")));
    }

    @Nested
    class Lists {
        @Test
        void anIpListHoldsAddresses() {
            ValueList list = ValueList.of("backup", ValueListType.IP, List.of("10.0.0.7", "2001:db8::1"));
            ExceptionItem item = item(new ExceptionEntry.InList("source.ip", Operator.INCLUDED, list));
            assertTrue(excepts(item, Map.of("source.ip", "10.0.0.7")));
            assertTrue(excepts(item, Map.of("source.ip", "2001:db8:0:0:0:0:0:1")));
            assertFalse(excepts(item, Map.of("source.ip", "10.0.0.8")));
        }

        @Test
        void anIpRangeListHoldsCidrsAndDashRanges() {
            ValueList list = ValueList.of(
                    "nets", ValueListType.IP_RANGE, List.of("192.168.0.0/16", "10.0.0.10-10.0.0.20", "2001:db8::/32"));
            ExceptionItem item = item(new ExceptionEntry.InList("source.ip", Operator.INCLUDED, list));
            assertTrue(excepts(item, Map.of("source.ip", "192.168.44.1")));
            assertTrue(excepts(item, Map.of("source.ip", "10.0.0.10")));
            assertTrue(excepts(item, Map.of("source.ip", "10.0.0.20")));
            assertFalse(excepts(item, Map.of("source.ip", "10.0.0.21")));
            assertTrue(excepts(item, Map.of("source.ip", "2001:db8:ffff::9")));
            assertFalse(excepts(item, Map.of("source.ip", "2001:db9::1")));
        }

        @Test
        void isNotInListHoldsWhenNoValueIsListed() {
            ValueList list = ValueList.of("hosts", ValueListType.KEYWORD, List.of("dc01"));
            ExceptionItem item = item(new ExceptionEntry.InList("host.name", Operator.EXCLUDED, list));
            assertTrue(excepts(item, Map.of("host.name", "ws01")));
            assertFalse(excepts(item, Map.of("host.name", "dc01")));
        }

        @Test
        void aKeywordListOnALongFieldComparesNumbers() {
            ValueList list = ValueList.of("ports", ValueListType.KEYWORD, List.of("445", "139"));
            ExceptionItem item = item(new ExceptionEntry.InList("destination.port", Operator.INCLUDED, list));
            assertTrue(excepts(item, Map.of("destination.port", 139)));
            assertFalse(excepts(item, Map.of("destination.port", 80)));
        }

        @Test
        void aTextListMatchesPhrases() {
            ValueList list = ValueList.of("msgs", ValueListType.TEXT, List.of("backup job"));
            ExceptionItem item = item(new ExceptionEntry.InList("message", Operator.INCLUDED, list));
            assertTrue(excepts(item, Map.of("message", "Nightly BACKUP job done")));
            assertFalse(excepts(item, Map.of("message", "job backup")));
        }

        @Test
        void aListBeyondKibanasCapOf65536ValuesApplies() {
            List<String> addresses = new java.util.ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                addresses.add("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff));
            }
            ValueList list = ValueList.of("big", ValueListType.IP, addresses);
            ExceptionItem item = item(new ExceptionEntry.InList("source.ip", Operator.INCLUDED, list));
            assertTrue(excepts(item, Map.of("source.ip", "10.1.134.159")));
            assertFalse(excepts(item, Map.of("source.ip", "11.0.0.1")));
            assertEquals(100_000, list.size());
        }
    }

    @Test
    void aNestedEntryNeedsOneObjectToSatisfyAllItsEntries() {
        ExceptionItem item = item(new ExceptionEntry.Nested(
                "threat.enrichments", List.of(is("indicator.type", "ipv4-addr"), is("matched.atomic", "10.0.0.7"))));
        Map<String, Object> same = Map.of(
                "threat",
                Map.of(
                        "enrichments",
                        List.of(
                                Map.of("indicator", Map.of("type", "url"), "matched", Map.of("atomic", "x")),
                                Map.of(
                                        "indicator",
                                        Map.of("type", "ipv4-addr"),
                                        "matched",
                                        Map.of("atomic", "10.0.0.7")))));
        Map<String, Object> split = Map.of(
                "threat",
                Map.of(
                        "enrichments",
                        List.of(
                                Map.of("indicator", Map.of("type", "ipv4-addr"), "matched", Map.of("atomic", "x")),
                                Map.of("indicator", Map.of("type", "url"), "matched", Map.of("atomic", "10.0.0.7")))));
        assertTrue(excepts(item, same));
        assertFalse(excepts(item, split), "the two conditions hold only in different objects");
    }

    @Test
    void entriesOfAnItemAreAndedAndItemsAreOred() {
        ExceptionItem both = item(is("host.name", "srv"), is("destination.port", "445"));
        assertTrue(excepts(both, Map.of("host.name", "srv", "destination.port", 445)));
        assertFalse(excepts(both, Map.of("host.name", "srv", "destination.port", 139)));
        ExceptionItem other = new ExceptionItem(
                "i2", null, "port 139", "", List.of(is("destination.port", "139")), null, List.of(), List.of());
        ExceptionMatcher matcher = ExceptionMatcher.of(List.of(both, other), TYPES, NOW);
        Event port139 = event(Map.of("host.name", "ws", "destination.port", 139));
        assertTrue(matcher.excepts(port139));
        assertEquals("port 139", matcher.itemFor(port139));
        assertNull(matcher.itemFor(event(Map.of("host.name", "ws", "destination.port", 80))));
    }

    @Test
    void anExpiredItemNoLongerApplies() {
        ExceptionItem expiring = new ExceptionItem(
                "i1", null, "temporary", "", List.of(is("host.name", "srv")), NOW, List.of(), List.of());
        Event srv = event(Map.of("host.name", "srv"));
        assertTrue(ExceptionMatcher.of(List.of(expiring), TYPES, NOW.minusMillis(1))
                .excepts(srv));
        assertFalse(ExceptionMatcher.of(List.of(expiring), TYPES, NOW).excepts(srv));
        assertTrue(ExceptionMatcher.of(List.of(expiring), TYPES, NOW).isEmpty());
        assertNull(ExceptionQuery.anyItem(List.of(expiring), NOW));
    }

    /** Kibana's exception query runs in Elasticsearch, where an alias reads its target and null reads null_value. */
    @Nested
    class AsTheMappingReadsTheField {
        private final FieldTypes mapped = new FieldTypes(
                Map.of(
                        "process.name",
                        FieldType.KEYWORD,
                        "proc.name",
                        FieldType.KEYWORD,
                        "user.domain",
                        FieldType.KEYWORD),
                Map.of(
                        "proc.name",
                        new MappedField("process.name", null, null),
                        "user.domain",
                        new MappedField(null, "NONE", null)),
                true);

        private boolean exceptsMapped(ExceptionItem item, Map<String, Object> source) {
            return ExceptionMatcher.of(List.of(item), mapped, NOW).excepts(event(source));
        }

        @Test
        void anExceptionOnAnAliasTestsTheAliasTarget() {
            ExceptionItem item = item(is("proc.name", "backup.exe"));
            assertTrue(exceptsMapped(item, Map.of("process", Map.of("name", "backup.exe"))));
            assertFalse(exceptsMapped(item, Map.of("process", Map.of("name", "cmd.exe"))));
        }

        @Test
        void anExplicitNullIsTheNullValueForIsAndExists() {
            assertTrue(exceptsMapped(item(is("user.domain", "NONE")), Map.of("user", nullDomain())));
            assertTrue(exceptsMapped(
                    item(new ExceptionEntry.Exists("user.domain", Operator.INCLUDED)), Map.of("user", nullDomain())));
            assertFalse(exceptsMapped(
                    item(new ExceptionEntry.Exists("user.domain", Operator.INCLUDED)), Map.of("user", Map.of())));
        }

        private static Map<String, Object> nullDomain() {
            Map<String, Object> user = new java.util.HashMap<>();
            user.put("domain", null);
            return user;
        }
    }
}
