package io.eqlwatch.eql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.eql.ast.ArithmeticOperator;
import io.eqlwatch.eql.ast.ComparisonOperator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Expr.Field;
import io.eqlwatch.eql.ast.Expr.Literal;
import io.eqlwatch.eql.ast.MatchOperator;
import io.eqlwatch.eql.ast.Pipe;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SampleQuery;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.eql.parser.EqlSyntaxException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EqlParserTest {

    private static Expr where(String condition) {
        return ((EventQuery) EqlParser.parse("any where " + condition).body()).condition();
    }

    private static EqlSyntaxException rejects(String query) {
        return assertThrows(EqlSyntaxException.class, () -> EqlParser.parse(query));
    }

    private static Field f(String name) {
        return new Field(name, false);
    }

    private static Literal lit(Object value) {
        return new Literal(value);
    }

    // ------------------------------------------------------------ the first rule

    @Test
    void firstRuleQueryParsesToTheExpectedSequence() {
        Query query = EqlParser.parse(FirstRuleQuery.TEXT);
        SequenceQuery sequence = assertInstanceOf(SequenceQuery.class, query.body());
        assertEquals(List.of(f("host.id")), sequence.by());
        assertEquals(Duration.ofSeconds(30), sequence.maxspan());
        assertNull(sequence.until());
        assertTrue(query.pipes().isEmpty());
        assertEquals(2, sequence.stages().size());

        SequenceStage network = sequence.stages().get(0);
        assertEquals("network", network.event().category());
        assertEquals(List.of(f("process.entity_id")), network.by());
        assertEquals(1, network.runs());
        assertFalse(network.missing());

        SequenceStage file = sequence.stages().get(1);
        assertEquals("file", file.event().category());
        assertEquals(List.of(f("process.entity_id")), file.by());
        // ... and (file.Ext.header_bytes : "4d5a*" or file.extension : (...)) is the last conjunct
        Expr.And and = assertInstanceOf(Expr.And.class, file.event().condition());
        Expr.Or or = assertInstanceOf(Expr.Or.class, and.right());
        assertEquals(
                new Expr.Match(MatchOperator.COLON, f("file.Ext.header_bytes"), List.of(lit("4d5a*")), true),
                or.left());
        assertEquals(
                new Expr.Match(
                        MatchOperator.COLON,
                        f("file.extension"),
                        List.of(lit("exe"), lit("scr"), lit("pif"), lit("com"), lit("dll")),
                        true),
                or.right());
    }

    // ------------------------------------------------------------ event queries

    @Test
    void eventCategories() {
        assertEquals(
                "process", ((EventQuery) EqlParser.parse("process where true").body()).category());
        assertTrue(((EventQuery) EqlParser.parse("any where true").body()).anyCategory());
        assertEquals(
                "my-category",
                ((EventQuery) EqlParser.parse("\"my-category\" where true").body()).category());
        assertEquals(
                ".my.event",
                ((EventQuery) EqlParser.parse("\"\"\".my.event\"\"\" where true")
                                .body())
                        .category());
        assertEquals(
                "a\"b", ((EventQuery) EqlParser.parse("\"a\\\"b\" where true").body()).category());
    }

    @Test
    void fieldsOptionalAndEscaped() {
        assertEquals(
                new Field("user.id", true), where("?user.id != null") instanceof Expr.Comparison c ? c.left() : null);
        assertEquals(f("my-field.sub"), ((Expr.Comparison) where("`my-field`.sub == 1")).left());
        assertEquals(
                f("kubernetes.audit.annotations.authorization_k8s_io/decision"),
                ((Expr.Match) where("`kubernetes.audit.annotations.authorization_k8s_io/decision` : \"allow\""))
                        .value());
        assertEquals(f("@timestamp"), ((Expr.Comparison) where("@timestamp > 0")).left());
        assertEquals(f("event.sequence"), ((Expr.Comparison) where("event.sequence > 0")).left());
    }

    // ------------------------------------------------------------ precedence

    @Test
    void andBindsTighterThanOrAndNotTighterThanAnd() {
        Expr e = where("a == 1 or not b == 2 and c == 3");
        Expr.Or or = assertInstanceOf(Expr.Or.class, e);
        Expr.And and = assertInstanceOf(Expr.And.class, or.right());
        assertInstanceOf(Expr.Not.class, and.left());
    }

    @Test
    void arithmeticPrecedenceAndUnaryMinus() {
        Expr.Comparison c = (Expr.Comparison) where("a + b * -c == 1 - 2 - 3");
        assertEquals(
                new Expr.Arithmetic(
                        ArithmeticOperator.ADD,
                        f("a"),
                        new Expr.Arithmetic(ArithmeticOperator.MULTIPLY, f("b"), new Expr.Negate(f("c")))),
                c.left());
        // left-associative
        assertEquals(
                new Expr.Arithmetic(
                        ArithmeticOperator.SUBTRACT,
                        new Expr.Arithmetic(ArithmeticOperator.SUBTRACT, lit(1L), lit(2L)),
                        lit(3L)),
                c.right());
        assertEquals(lit(-5L), ((Expr.Comparison) where("a == -5")).right());
        assertEquals(lit(-0.5), ((Expr.Comparison) where("a == -.5")).right());
    }

    @Test
    void parenthesesOverridePrecedence() {
        Expr.And and = assertInstanceOf(Expr.And.class, where("(a == 1 or b == 2) and c == 3"));
        assertInstanceOf(Expr.Or.class, and.left());
    }

    // ------------------------------------------------------------ operators

    @ParameterizedTest
    @CsvSource({"==,EQ", "!=,NEQ", "<,LT", "<=,LTE", ">,GT", ">=,GTE"})
    void comparisons(String symbol, ComparisonOperator operator) {
        assertEquals(new Expr.Comparison(operator, f("x"), lit(1L)), where("x " + symbol + " 1"));
    }

    @Test
    void lookupsAndPatterns() {
        assertEquals(new Expr.In(f("x"), List.of(lit("a"), lit(1L)), false, false), where("x in (\"a\", 1)"));
        assertEquals(new Expr.In(f("x"), List.of(lit("a")), false, true), where("x in~ (\"a\")"));
        assertEquals(new Expr.In(f("x"), List.of(lit("a")), true, false), where("x not in (\"a\")"));
        assertEquals(new Expr.In(f("x"), List.of(lit("a")), true, true), where("x not in~ (\"a\")"));
        assertEquals(new Expr.Match(MatchOperator.COLON, f("x"), List.of(lit("a*")), true), where("x : \"a*\""));
        assertEquals(
                new Expr.Match(MatchOperator.LIKE, f("x"), List.of(lit("a*"), lit("b")), false),
                where("x like (\"a*\", \"b\")"));
        assertEquals(new Expr.Match(MatchOperator.LIKE, f("x"), List.of(lit("a*")), true), where("x like~ \"a*\""));
        assertEquals(new Expr.Match(MatchOperator.REGEX, f("x"), List.of(lit("a.*")), false), where("x regex \"a.*\""));
        assertEquals(
                new Expr.Match(MatchOperator.REGEX, f("x"), List.of(lit("a.*"), lit("b")), true),
                where("x regex~ (\"a.*\", \"b\")"));
    }

    @Test
    void functionsResolveCaseInsensitivelyToTheirDocumentedName() {
        assertEquals(
                new Expr.Function("cidrMatch", false, List.of(f("ip"), lit("10.0.0.0/8"))),
                where("cidrmatch(ip, \"10.0.0.0/8\")"));
        assertEquals(
                new Expr.Function("endsWith", true, List.of(f("p"), lit(".exe"))), where("endswith~(p, \".exe\")"));
        assertEquals(
                new Expr.Function("concat", false, List.of(f("a"), lit(1L), lit(null))),
                EqlParser.parseExpression("concat(a, 1, null)"));
    }

    // ------------------------------------------------------------ sequences and samples

    @Test
    void sequenceWithEverything() {
        Query q = EqlParser.parse(
                """
                sequence by user.name with maxspan=15m
                  [process where true] by process.pid
                  [library where true] by dll.pid with runs=3
                  ![file where true] by file.pid
                until [process where event.type == "stop"] by process.pid
                | tail 5""");
        SequenceQuery s = (SequenceQuery) q.body();
        assertEquals(Duration.ofMinutes(15), s.maxspan());
        assertEquals(3, s.stages().get(1).runs());
        assertTrue(s.stages().get(2).missing());
        assertEquals(List.of(f("process.pid")), s.until().by());
        assertEquals(List.of(new Pipe.Tail(5)), q.pipes());
    }

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "2m,PT2M", "1h,PT1H", "3d,PT72H"})
    void maxspanUnits(String span, Duration expected) {
        SequenceQuery s =
                (SequenceQuery) EqlParser.parse("sequence with maxspan=" + span + " [a where true] [b where true]")
                        .body();
        assertEquals(expected, s.maxspan());
    }

    @Test
    void sample() {
        SampleQuery s = (SampleQuery) EqlParser.parse("sample by host [a where true] by x [b where true] by y")
                .body();
        assertEquals(List.of(f("host")), s.by());
        assertEquals(2, s.stages().size());
        assertEquals(List.of(f("y")), s.stages().get(1).by());
    }

    @Test
    void pipesHeadAndTail() {
        assertEquals(
                List.of(new Pipe.Head(3), new Pipe.Tail(1)),
                EqlParser.parse("a where true | head 3 | tail 1").pipes());
    }

    // ------------------------------------------------------------ errors: positions and expectations

    @Test
    void expectedTokenMessageNamesWhatWasFoundAndWhere() {
        EqlSyntaxException e = rejects("sequence\n  [process where true by x]\n  [file where true]");
        assertEquals(2, e.line());
        assertEquals(23, e.column());
        assertEquals("line 2:23: expected ']' but found 'by'", e.getMessage());
    }

    @Test
    void missingWhere() {
        EqlSyntaxException e = rejects("process name == 1");
        assertEquals("line 1:9: expected 'where' but found 'name'", e.getMessage());
    }

    @Test
    void endOfQueryIsNamed() {
        EqlSyntaxException e = rejects("process where a ==");
        assertEquals(1, e.line());
        assertEquals(19, e.column());
        assertTrue(e.getMessage().endsWith("but found end of query"), e.getMessage());
    }

    @Test
    void trailingGarbage() {
        EqlSyntaxException e = rejects("process where a == 1 b");
        assertEquals(22, e.column());
        assertTrue(e.getMessage().contains("expected an operator, '|' or end of query"), e.getMessage());
    }

    @Test
    void singleEqualsIsExplained() {
        EqlSyntaxException e = rejects("process where a = 1");
        assertEquals(17, e.column());
        assertTrue(e.getMessage().contains("'=='"), e.getMessage());
    }

    @Test
    void comparisonsDoNotChain() {
        // Syntax reference, "Limitations for comparisons": foo < bar <= baz is not supported.
        EqlSyntaxException e = rejects("any where a < 1 <= 2");
        assertEquals(17, e.column());
    }

    @Test
    void fieldToFieldComparisonsAreRejected() {
        // Syntax reference: "You also cannot compare a field to another field, even if the fields are
        // changed using a function."
        EqlSyntaxException e = rejects("process where process.parent.name == process.name");
        assertTrue(e.getMessage().contains("comparisons against fields"), e.getMessage());
        rejects("process where length(a) > length(b)");
        rejects("process where a in (\"x\", b)");
        EqlParser.parse("process where length(a) > 3 and 3 < length(a)");
    }

    @Test
    void functionValidation() {
        EqlSyntaxException unknown = rejects("any where lenght(a) == 1");
        assertEquals(11, unknown.column());
        assertTrue(
                unknown.getMessage().contains("unknown function [lenght], did you mean [length]?"),
                unknown.getMessage());
        EqlSyntaxException arity = rejects("any where add(1) == 1");
        assertTrue(arity.getMessage().contains("[add] takes 2 arguments but was given 1"), arity.getMessage());
        rejects("any where indexOf(a, \"b\", 1, 2) == 1");
        rejects("any where concat() == \"\"");
        EqlSyntaxException tilde = rejects("any where length~(a) == 1");
        assertTrue(tilde.getMessage().contains("no case-insensitive form"), tilde.getMessage());
        rejects("any where cidrMatch(a, b)");
        rejects("any where cidrMatch(a, \"10.0.0.0/33\")");
        // Elasticsearch's analyzer types every argument: a comparison is a boolean, not a CIDR block or a string
        EqlSyntaxException typed = rejects("any where cidrMatch(ip, \"10.0.0, \" : \":1/128\")");
        assertTrue(typed.getMessage().contains("must be a string, found a boolean expression"), typed.getMessage());
        rejects("any where length(a == b) == 1");
        rejects("any where startsWith(a, 1 + 2)");
        EqlParser.parse("any where add(a * 2, -b) == 1");
        rejects("any where length(5) == 1");
        rejects("any where between(a, \"x\", \"y\", \"yes\") == \"z\"");
        rejects("any where number(a, b) == 1");
        rejects("any where arrayContains(a, \"x\")");
    }

    @Test
    void patternsMustBeStrings() {
        EqlSyntaxException e = rejects("any where a : 5");
        assertEquals(15, e.column());
        rejects("any where a like (\"x\", 1)");
        rejects("any where a regex \"(unclosed\"");
    }

    @Test
    void sequenceShapeIsValidated() {
        EqlSyntaxException one = rejects("sequence [a where true]");
        assertTrue(one.getMessage().contains("at least 2 stages"), one.getMessage());
        EqlParser.parse("sequence [a where true] with runs=2");
        EqlSyntaxException order = rejects("sequence with maxspan=1m by x [a where true] [b where true]");
        assertTrue(order.getMessage().contains("[by] before [with]"), order.getMessage());
        EqlSyntaxException keys = rejects("sequence [a where true] by x [b where true] by x, y");
        assertTrue(keys.getMessage().contains("inconsistent number of join keys"), keys.getMessage());
        rejects("sequence [a where true] by x [b where true] until [c where true] by x, y");
        rejects("sequence by 1 [a where true] [b where true]");
    }

    @Test
    void maxspanIsValidated() {
        assertTrue(rejects("sequence with maxspan=0s [a where true] [b where true]")
                .getMessage()
                .contains("positive"));
        assertTrue(rejects("sequence with maxspan=1.5s [a where true] [b where true]")
                .getMessage()
                .contains("decimal"));
        assertTrue(rejects("sequence with maxspan=30 [a where true] [b where true]")
                .getMessage()
                .contains("did you mean [s]"));
        assertTrue(rejects("sequence with maxspan=30y [a where true] [b where true]")
                .getMessage()
                .contains("[ms, s, m, h, d]"));
    }

    @Test
    void runsIsValidated() {
        // Syntax reference: "The runs value must be between 1 and 100 (inclusive)."
        EqlParser.parse("sequence [a where true] with runs=100 [b where true]");
        assertTrue(rejects("sequence [a where true] with runs=101 [b where true]")
                .getMessage()
                .contains("between 1 and 100"));
        rejects("sequence [a where true] with runs=0 [b where true]");
        assertTrue(rejects("sequence [a where true] with repeat=2 [b where true]")
                .getMessage()
                .contains("expecting [runs]"));
    }

    @Test
    void missingEventsAreValidated() {
        // Syntax reference, "Missing events": maxspan is mandatory and at least one positive clause is needed.
        EqlParser.parse("sequence with maxspan=1h ![a where true] [b where true] ![c where true]");
        EqlSyntaxException noSpan = rejects("sequence [a where true]\n ![b where true]");
        assertEquals(2, noSpan.line());
        assertEquals(2, noSpan.column());
        rejects("sequence with maxspan=1h ![a where true] ![b where true]");
        rejects("sequence with maxspan=1h [a where true] [b where true] until ![c where true]");
        rejects("sample by x [a where true] ![b where true]");
    }

    @Test
    void samplesRejectSequenceOnlyClauses() {
        rejects("sample by x [a where true] [b where true] until [c where true]");
        rejects("sample by x with maxspan=1m [a where true] [b where true]");
        rejects("sample [a where true] [b where true]");
    }

    @Test
    void pipes() {
        EqlSyntaxException count = rejects("any where true | count");
        assertEquals(18, count.column());
        assertTrue(count.getMessage().contains("pipe [count] is not supported"), count.getMessage());
        rejects("any where true | unique a");
        rejects("any where true | filter a == 1");
        rejects("any where true | sort a");
        assertTrue(rejects("any where true | frob").getMessage().contains("unrecognized pipe [frob]"));
        rejects("any where true | head");
        rejects("any where true | head -1");
        rejects("any where true | head 1.5");
        rejects("any where true | head 1, 2");
    }

    @Test
    void arrayIndexesAreRejected() {
        assertTrue(rejects("any where process.args[0] == \"x\"").getMessage().contains("array indexes"));
    }

    @Test
    void conditionsMustBeBoolean() {
        EqlSyntaxException e = rejects("process where a == 1 and\n  length(b)");
        assertEquals(2, e.line());
        assertEquals(3, e.column());
        assertTrue(e.getMessage().contains("must be boolean"), e.getMessage());
        rejects("process where \"x\"");
        rejects("process where 1 + 2");
        rejects("process where not 5");
        EqlParser.parse("process where startsWith(a, \"b\") or cidrMatch(ip, \"10.0.0.0/8\") or flag or null");
    }

    @Test
    void absurdNestingIsASyntaxErrorNotAStackOverflow() {
        for (String unit : new String[] {"(", "not ", "-", "length("}) {
            EqlSyntaxException e = rejects("any where " + unit.repeat(100_000));
            assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());
        }
        EqlParser.parse("any where " + "(".repeat(150) + "true" + ")".repeat(150));
    }

    @Test
    void emptyAndBlankQueries() {
        assertEquals(1, rejects("").line());
        EqlSyntaxException blank = rejects("\n  // nothing\n");
        assertEquals(3, blank.line());
    }
}
