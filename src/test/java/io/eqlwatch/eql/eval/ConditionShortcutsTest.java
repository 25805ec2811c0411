package io.eqlwatch.eql.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eqlwatch.eql.EqlParser;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.event.SlotLayout;
import io.eqlwatch.source.SlotDecoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short ways the compiled conditions take give the answers of the long ones: equality with a constant decided
 * by {@code equals} agrees with {@link TypedValues#equal} on every pair of values, IP spellings included, and
 * the leaves over one ip field, which share a reader that remembers the last parsed value, answer on every event
 * as each leaf compiled alone does, on events held as maps and as slots alike.
 */
class ConditionShortcutsTest {

    /** Texts that spell addresses in several ways, that nearly do, and that do not; and non-text values. */
    private static final List<Object> VALUES = List.of(
            "127.0.0.1",
            "::ffff:127.0.0.1",
            "::FFFF:7f00:1",
            "0:0:0:0:0:0:0:1",
            "::1",
            "10.0.0.256",
            "1",
            "",
            "windows",
            "Windows",
            "fe80::1%eth0",
            4L,
            4.0,
            true,
            Ip.parse("127.0.0.1"),
            Ip.parse("::1"));

    @Test
    void equalityWithAConstantAgreesWithTypedEqualityOnEveryPair() {
        for (Object constant : VALUES) {
            var shortcut = Compiler.equalTo(constant);
            for (Object value : VALUES) {
                assertEquals(TypedValues.equal(value, constant), shortcut.test(value), () -> value + " == " + constant);
            }
        }
    }

    /** The values an ip or keyword field takes over the events: single, arrays, missing, explicit null. */
    private static final List<Object> FIELD_VALUES = List.of(
            "127.0.0.1",
            "::1",
            "0:0:0:0:0:0:0:1",
            "::ffff:127.0.0.1",
            "10.1.2.3",
            "2001:db8::7",
            "not an address",
            List.of("10.1.2.3", "127.0.0.1"),
            List.of("::1", "::1"),
            List.of());

    @Test
    void leavesOverOneFieldAnswerAsEachAloneOnMapsAndSlots() {
        for (FieldType type : List.of(FieldType.IP, FieldType.KEYWORD)) {
            FieldTypes types = new FieldTypes(Map.of("source.ip", type));
            String both = "source.ip != \"127.0.0.1\" and source.ip != \"::1\"";
            EventQuery together = query(both);
            List<Event> events = events();
            Evaluator shared = new Evaluator(types);
            var compiled = shared.compile(together);
            for (Event event : events) {
                for (Event held : List.of(event, slotted(event))) {
                    boolean alone = new Evaluator(types)
                                    .compile(query("source.ip != \"127.0.0.1\""))
                                    .matches(held)
                            && new Evaluator(types)
                                    .compile(query("source.ip != \"::1\""))
                                    .matches(held);
                    assertEquals(alone, compiled.matches(held), () -> type + " " + held.source());
                }
            }
        }
    }

    /** Stored texts for an ip field: dotted quads, near misses, other spellings of the same addresses. */
    private static final List<String> STORED_ADDRESSES = List.of(
            "127.0.0.1",
            "127.000.0.01",
            "::ffff:127.0.0.1",
            "::ffff:7f00:1",
            "127.0.0.1%eth0",
            "[::1]",
            "::1",
            "10.1.2.3",
            "255.255.255.255",
            "0.0.0.0",
            "256.0.0.1",
            "1.2.3",
            "1.2.3.4.5",
            "1..2.3",
            " 10.1.2.3",
            "1234.1.1.1",
            "fe80::1%eth0",
            "");

    @Test
    void ipEqualityAgreesWithParsedAddressesOnEveryPair() {
        FieldTypes types = new FieldTypes(Map.of("source.ip", FieldType.IP));
        List<String> constants = List.of("127.0.0.1", "::1", "10.1.2.3", "::ffff:10.1.2.3", "0.0.0.0", "::");
        for (String constant : constants) {
            var equal = new Evaluator(types).compile(query("source.ip == \"" + constant + "\""));
            for (String stored : STORED_ADDRESSES) {
                Ip parsed = Ip.parse(stored);
                boolean expected = parsed != null && parsed.equals(Ip.parse(constant));
                Event event = event(stored);
                assertEquals(expected, equal.matches(event), () -> stored + " == " + constant + " (maps)");
                assertEquals(expected, equal.matches(slotted(event)), () -> stored + " == " + constant + " (slots)");
            }
        }
    }

    private static EventQuery query(String condition) {
        // a null category is "any"; the text "any" would be a category test that no event here passes
        return new EventQuery(null, EqlParser.parseExpression(condition));
    }

    /** Each value in turn, each twice in a row (the same value object), then an explicit null. */
    private static List<Event> events() {
        List<Event> events = new ArrayList<>();
        for (Object value : FIELD_VALUES) {
            for (int copy = 0; copy < 2; copy++) {
                events.add(event(value));
            }
        }
        Map<String, Object> source = new HashMap<>();
        source.put("ip", null);
        Map<String, Object> explicitNull = Map.of("source", source);
        events.add(new Event("null", "i", Instant.EPOCH, null, explicitNull));
        return events;
    }

    private static Event event(Object ip) {
        return new Event("e", "i", Instant.EPOCH, null, Map.of("source", Map.of("ip", ip)));
    }

    private static Event slotted(Event event) {
        SlotLayout layout = SlotLayout.of(List.of("source.ip"));
        return new Event(event.id(), event.index(), event.timestamp(), null, SlotDecoder.of(layout, event.source()));
    }
}
