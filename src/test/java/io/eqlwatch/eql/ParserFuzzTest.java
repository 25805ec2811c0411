package io.eqlwatch.eql;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.eql.parser.EqlSyntaxException;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any text given to the parser yields a query or a positioned {@link EqlSyntaxException}, never
 * another exception; and any query it accepts can be evaluated on any event without throwing.
 */
class ParserFuzzTest {

    private static final List<String> SEEDS = List.of(
            FirstRuleQuery.TEXT,
            "process where process.name : (\"cmd.exe\", \"powershell*\") and not process.args : \"-enc\"",
            "any where length(a) > 3 or startsWith~(b, \"x\") and cidrMatch(ip, \"10.0.0.0/8\", \"::1/128\")",
            "sequence by host.id with maxspan=5m [process where true] by p with runs=2 ![file where x != null] by f"
                    + " until [process where event.type == \"end\"] by p | tail 3",
            "sample by host [a where n + 2 * -m >= 4 % 3] [b where ?opt == null] | head 1",
            "\"my-cat\" where `my-field` regex~ (\"a.*\", \"[0-9]{2}\") and x in~ (\"A\", 1, 2.5e3, true, null)",
            "network where concat(a, \"\\u{41}\\t\") == \"\"\"raw \\ \"\"\" and between~(a, \"b\", \"c\", true) : \"x*\"",
            "file where number(substring(a, -4, -1), 16) / 2 < indexOf(b, \"c\", 1) // comment\n/* c */");

    private static final List<String> FRAGMENTS = List.of(
            "[",
            "]",
            "![",
            "(",
            ")",
            "\"",
            "\"\"\"",
            "'",
            "`",
            "?",
            "~",
            ":",
            "==",
            "=",
            "!",
            "!=",
            "<",
            ">=",
            " and ",
            " or ",
            " not ",
            " in ",
            " in~ ",
            " like~ ",
            " regex ",
            " where ",
            " by ",
            " with ",
            "maxspan=",
            "runs=",
            " until ",
            "sequence ",
            "sample ",
            "|",
            " head ",
            " tail ",
            "-",
            "+",
            "*",
            "/",
            "%",
            ".",
            ",",
            "1",
            "1.5e",
            "99999999999999999999",
            "\\",
            "\\u{",
            "\n",
            "/*",
            "*/",
            "//",
            "length(",
            "foo(",
            "x",
            "\u00e9",
            "\t",
            "\r\n",
            "null",
            "true",
            "@",
            "#",
            "0x");

    @Provide
    Arbitrary<String> randomText() {
        Arbitrary<String> chars = Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('\n', '\t', '\u00e9', '\u200f')
                .ofMaxLength(80);
        Arbitrary<String> fragments =
                Arbitraries.of(FRAGMENTS).list().ofMaxSize(25).map(l -> String.join("", l));
        return Arbitraries.oneOf(chars, fragments);
    }

    @Provide
    Arbitrary<String> mutatedQuery() {
        Arbitrary<String> seed = Arbitraries.of(SEEDS);
        Arbitrary<List<int[]>> edits = Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 10_000),
                        Arbitraries.integers().between(0, 12),
                        Arbitraries.integers().between(0, FRAGMENTS.size() - 1))
                .as((kind, at, length, fragment) -> new int[] {kind, at, length, fragment})
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
        return Combinators.combine(seed, edits).as(ParserFuzzTest::mutate);
    }

    private static String mutate(String seed, List<int[]> edits) {
        StringBuilder text = new StringBuilder(seed);
        for (int[] edit : edits) {
            int at = edit[1] % (text.length() + 1);
            int end = Math.min(text.length(), at + edit[2]);
            switch (edit[0]) {
                case 0 -> text.delete(at, end);
                case 1 -> text.insert(at, FRAGMENTS.get(edit[3]));
                case 2 -> text.replace(at, end, FRAGMENTS.get(edit[3]));
                default -> text.insert(at, text.substring(at, end));
            }
        }
        return text.toString();
    }

    @Property(tries = 3000)
    void randomTextGivesAQueryOrAPositionedSyntaxError(@ForAll("randomText") String text) {
        check(text);
    }

    @Property(tries = 3000)
    void mutatedQueriesGiveAQueryOrAPositionedSyntaxError(@ForAll("mutatedQuery") String text) {
        check(text);
    }

    private static final Evaluator EVALUATOR = new Evaluator(TestEvents.types("n", FieldType.LONG, "ip", FieldType.IP));
    private static final List<Event> EVENTS = List.of(
            TestEvents.event("{}"),
            TestEvents.event(
                    "{\"event\": {\"category\": [\"process\", \"file\"]}, \"a\": \"abc\", \"b\": [\"x\", 1, true],"
                            + " \"n\": \"12\", \"ip\": \"::1\", \"x\": {\"y\": null}, \"process\": {\"name\": \"cmd.exe\", \"pid\": 4}}"));

    private static void check(String text) {
        Query query;
        try {
            query = EqlParser.parse(text);
        } catch (EqlSyntaxException e) {
            String[] lines = text.split("\n", -1);
            assertTrue(
                    e.line() >= 1 && e.line() <= lines.length,
                    () -> "line " + e.line() + " of " + lines.length + " for " + text);
            int lineLength = lines[e.line() - 1].length();
            assertTrue(
                    e.column() >= 1 && e.column() <= lineLength + 1,
                    () -> "column " + e.column() + " of line length " + lineLength + " for " + text);
            assertTrue(e.getMessage().startsWith("line " + e.line() + ":" + e.column() + ": "), e.getMessage());
            return;
        } catch (RuntimeException | StackOverflowError e) {
            fail("parser threw " + e + " for: " + text, e);
            return;
        }
        for (EventQuery eventQuery : eventQueries(query)) {
            for (Event event : EVENTS) {
                try {
                    EVALUATOR.matches(eventQuery, event);
                } catch (RuntimeException e) {
                    fail("evaluator threw " + e + " for: " + text, e);
                }
            }
        }
    }

    private static List<EventQuery> eventQueries(Query query) {
        List<EventQuery> out = new ArrayList<>();
        if (query.body() instanceof EventQuery eq) {
            out.add(eq);
        } else if (query.body() instanceof SequenceQuery sq) {
            sq.stages().stream().map(SequenceStage::event).forEach(out::add);
            if (sq.until() != null) {
                out.add(sq.until().event());
            }
        } else if (query.body() instanceof SampleQuery sample) {
            sample.stages().stream().map(SequenceStage::event).forEach(out::add);
        }
        return out;
    }
}
