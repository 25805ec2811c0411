package io.eqlwatch.eql;

import static io.eqlwatch.eql.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first rule's two stages, evaluated on Elastic Defend-like events with Defend's mapped types. */
class FirstRuleEvaluationTest {

    private static final FieldTypes DEFEND = TestEvents.types(
            "event.category",
            FieldType.KEYWORD,
            "event.type",
            FieldType.KEYWORD,
            "host.os.type",
            FieldType.KEYWORD,
            "host.id",
            FieldType.KEYWORD,
            "process.pid",
            FieldType.LONG,
            "process.entity_id",
            FieldType.KEYWORD,
            "destination.port",
            FieldType.LONG,
            "source.ip",
            FieldType.IP,
            "network.direction",
            FieldType.KEYWORD,
            "network.transport",
            FieldType.KEYWORD,
            "file.Ext.header_bytes",
            FieldType.KEYWORD,
            "file.extension",
            FieldType.KEYWORD);

    private final Evaluator evaluator = new Evaluator(DEFEND);
    private final SequenceQuery rule =
            (SequenceQuery) EqlParser.parse(FirstRuleQuery.TEXT).body();
    private final EventQuery network = rule.stages().get(0).event();
    private final EventQuery file = rule.stages().get(1).event();

    private static final String NETWORK =
            """
            {"event": {"category": ["network"], "type": ["start"]}, "host": {"id": "h1", "os": {"type": "windows"}},
             "process": {"pid": 4, "entity_id": "sys-4"}, "destination": {"port": 445},
             "network": {"direction": "incoming", "transport": "tcp"}, "source": {"ip": "10.0.0.7"}}""";

    private static final String FILE =
            """
            {"event": {"category": "file", "type": ["creation"]}, "host": {"id": "h1", "os": {"type": "windows"}},
             "process": {"pid": 4, "entity_id": "sys-4"},
             "file": {"extension": "txt", "Ext": {"header_bytes": "4D5A90000300000004000000ffff0000"}}}""";

    private Event variant(String json, String from, String to) {
        assertTrue(json.contains(from), from);
        return event(json.replace(from, to));
    }

    @Test
    void attackEventsMatchTheirStages() {
        assertTrue(evaluator.matches(network, event(NETWORK)));
        assertTrue(evaluator.matches(file, event(FILE)));
        assertFalse(evaluator.matches(file, event(NETWORK)), "category decides the stage");
        assertFalse(evaluator.matches(network, event(FILE)));
    }

    @Test
    void benignLookalikesDoNotMatchTheNetworkStage() {
        assertFalse(evaluator.matches(network, variant(NETWORK, "\"port\": 445", "\"port\": 139")));
        assertFalse(evaluator.matches(network, variant(NETWORK, "\"pid\": 4", "\"pid\": 1234")));
        assertFalse(evaluator.matches(network, variant(NETWORK, "\"incoming\"", "\"outgoing\"")));
        assertFalse(evaluator.matches(network, variant(NETWORK, "10.0.0.7", "127.0.0.1")));
        assertFalse(evaluator.matches(network, variant(NETWORK, "\"tcp\"", "\"udp\"")));
        assertFalse(evaluator.matches(network, variant(NETWORK, "\"windows\"", "\"linux\"")));
        assertFalse(evaluator.matches(network, variant(NETWORK, "\"start\"", "\"end\"")));
    }

    @Test
    void loopbackInAnyIpv6SpellingIsExcludedBecauseSourceIpIsAnIpField() {
        // issue 2: an ip field holding 0:0:0:0:0:0:0:1 equals "::1"
        assertFalse(evaluator.matches(network, variant(NETWORK, "10.0.0.7", "0:0:0:0:0:0:0:1")));
        assertFalse(evaluator.matches(network, variant(NETWORK, "10.0.0.7", "::1")));
        assertTrue(evaluator.matches(network, variant(NETWORK, "10.0.0.7", "::2")));
    }

    @Test
    void colonIsCaseInsensitiveAndTakesAList() {
        assertTrue(evaluator.matches(network, variant(NETWORK, "\"incoming\"", "\"INGRESS\"")));
        assertTrue(evaluator.matches(file, variant(FILE, "\"4D5A", "\"4d5a")));
        String notPe = FILE.replace("\"header_bytes\": \"4D5A", "\"header_bytes\": \"0000");
        assertFalse(evaluator.matches(file, event(notPe)));
        assertTrue(evaluator.matches(file, event(notPe.replace("\"txt\"", "\"DLL\""))));
    }

    @Test
    void inIsCaseSensitive() {
        assertFalse(evaluator.matches(file, variant(FILE, "\"creation\"", "\"Creation\"")));
        assertTrue(evaluator.matches(file, variant(FILE, "\"creation\"", "\"change\"")));
    }

    @Test
    void longFieldHoldingTextEqualsTheNumber() {
        // issue 2: a long field holding "4" equals 4
        assertTrue(evaluator.matches(network, variant(NETWORK, "\"pid\": 4", "\"pid\": \"4\"")));
    }

    @Test
    void joinKeysComeFromTheByFields() {
        SequenceStage stage = rule.stages().get(0);
        assertEquals(List.of("h1"), evaluator.joinValues(rule.by().get(0), event(NETWORK)));
        assertEquals(List.of("sys-4"), evaluator.joinValues(stage.by().get(0), event(NETWORK)));
        assertEquals(List.of(), evaluator.joinValues(stage.by().get(0), event("{\"host\": {\"id\": \"h1\"}}")));
    }
}
