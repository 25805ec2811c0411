package io.eqlwatch.eql.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.eql.ast.ComparisonOperator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.MatchOperator;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.ast.SequenceQuery;
import io.eqlwatch.eql.ast.SequenceStage;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.plan.Planner;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PushDownTranslatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static final FieldTypes TYPES = new FieldTypes(Map.of(
            "event.category", FieldType.KEYWORD,
            "host.id", FieldType.KEYWORD,
            "process.name", FieldType.KEYWORD,
            "process.pid", FieldType.LONG,
            "source.ip", FieldType.IP,
            "score", FieldType.DOUBLE,
            "flag", FieldType.BOOLEAN,
            "message", FieldType.TEXT,
            "@timestamp", FieldType.DATE));

    private final PushDownTranslator translator = new PushDownTranslator(TYPES);

    /** JSON written with single quotes, for readable expectations. */
    static String json(String singleQuoted) {
        try {
            // compared as text: Jackson's IntNode(4) and LongNode(4) are not equal, their JSON is
            return MAPPER.readTree(singleQuoted.replace('\'', '"')).toString();
        } catch (Exception e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    static Expr.Field f(String name) {
        return new Expr.Field(name, false);
    }

    static Expr.Literal lit(Object value) {
        return new Expr.Literal(value);
    }

    static Expr cmp(ComparisonOperator op, Expr left, Expr right) {
        return new Expr.Comparison(op, left, right);
    }

    static Expr eq(String field, Object value) {
        return cmp(ComparisonOperator.EQ, f(field), lit(value));
    }

    static Expr neq(String field, Object value) {
        return cmp(ComparisonOperator.NEQ, f(field), lit(value));
    }

    private String condition(Expr expr) {
        return translator.translateCondition(expr).toString();
    }

    @Nested
    class Categories {

        @Test
        void categoryIsATermOnEventCategory() {
            assertEquals(
                    json("{'term':{'event.category':{'value':'process'}}}"),
                    translator.translate(new EventQuery("process", lit(true))).toString());
        }

        @Test
        void anyHasNoCategoryFilter() {
            assertEquals(
                    json("{'match_all':{}}"),
                    translator.translate(new EventQuery(null, lit(true))).toString());
        }

        @Test
        void categoryAndConditionAreBothFilters() {
            assertEquals(
                    json("{'bool':{'filter':[{'term':{'event.category':{'value':'file'}}},"
                            + "{'term':{'process.name':{'value':'cmd.exe'}}}]}}"),
                    translator
                            .translate(new EventQuery("file", eq("process.name", "cmd.exe")))
                            .toString());
        }

        @Test
        void customCategoryField() {
            PushDownTranslator custom = new PushDownTranslator(FieldTypes.NONE, "event_type");
            assertEquals(
                    json("{'term':{'event_type':{'value':'file'}}}"),
                    custom.translate(new EventQuery("file", lit(true))).toString());
        }
    }

    @Nested
    class Equality {

        @Test
        void keywordEqualityIsACaseSensitiveTerm() {
            assertEquals(
                    json("{'term':{'process.name':{'value':'cmd.exe'}}}"), condition(eq("process.name", "cmd.exe")));
        }

        @Test
        void literalOnTheLeftIsTheSame() {
            assertEquals(
                    json("{'term':{'process.name':{'value':'cmd.exe'}}}"),
                    condition(cmp(ComparisonOperator.EQ, lit("cmd.exe"), f("process.name"))));
        }

        @Test
        void notEqualIsMustNotTermWhichAlsoReturnsDocumentsMissingTheField() {
            assertEquals(
                    json("{'bool':{'must_not':[{'term':{'process.name':{'value':'cmd.exe'}}}]}}"),
                    condition(neq("process.name", "cmd.exe")));
        }

        @Test
        void longFieldTakesNumbersAndNumericStrings() {
            assertEquals(json("{'term':{'process.pid':{'value':4}}}"), condition(eq("process.pid", 4L)));
            assertEquals(json("{'term':{'process.pid':{'value':4}}}"), condition(eq("process.pid", "4")));
            assertEquals(json("{'term':{'process.pid':{'value':4}}}"), condition(eq("process.pid", 4.0)));
        }

        @Test
        void longFieldWithAValueItCannotHoldFallsBackToExists() {
            assertEquals(json("{'exists':{'field':'process.pid'}}"), condition(eq("process.pid", "four")));
            assertEquals(json("{'exists':{'field':'process.pid'}}"), condition(eq("process.pid", 4.5)));
            // and its negation is not must_not exists, which would be too strict
            assertEquals(json("{'match_all':{}}"), condition(neq("process.pid", "four")));
        }

        @Test
        void keywordFieldTakesANumberAsItsText() {
            assertEquals(json("{'term':{'host.id':{'value':'4'}}}"), condition(eq("host.id", 4L)));
        }

        @Test
        void ipFieldTakesAddressesInAnySpelling() {
            assertEquals(json("{'term':{'source.ip':{'value':'::1'}}}"), condition(eq("source.ip", "::1")));
            assertEquals(
                    json("{'bool':{'must_not':[{'term':{'source.ip':{'value':'127.0.0.1'}}}]}}"),
                    condition(neq("source.ip", "127.0.0.1")));
        }

        @Test
        void ipFieldWithSomethingElseFallsBackToExists() {
            assertEquals(json("{'exists':{'field':'source.ip'}}"), condition(eq("source.ip", "localhost")));
            assertEquals(json("{'exists':{'field':'source.ip'}}"), condition(eq("source.ip", "10.0.0.0/8")));
            assertEquals(json("{'exists':{'field':'source.ip'}}"), condition(eq("source.ip", "999.1.1.1")));
        }

        @Test
        void booleanAndDoubleFields() {
            assertEquals(json("{'term':{'flag':{'value':true}}}"), condition(eq("flag", true)));
            assertEquals(json("{'term':{'flag':{'value':false}}}"), condition(eq("flag", "false")));
            assertEquals(json("{'term':{'score':{'value':1.5}}}"), condition(eq("score", 1.5)));
        }

        @Test
        void textDateAndUnknownFieldsAreNotPushedDown() {
            assertEquals(json("{'exists':{'field':'message'}}"), condition(eq("message", "Hello")));
            assertEquals(json("{'exists':{'field':'@timestamp'}}"), condition(eq("@timestamp", "2024-01-01")));
            assertEquals(json("{'exists':{'field':'unmapped'}}"), condition(eq("unmapped", "x")));
            assertEquals(json("{'match_all':{}}"), condition(neq("unmapped", "x")));
        }

        @Test
        void nullComparisonsAreMissingAndExists() {
            assertEquals(
                    json("{'bool':{'must_not':[{'exists':{'field':'host.id'}}]}}"), condition(eq("host.id", null)));
            assertEquals(json("{'exists':{'field':'host.id'}}"), condition(neq("host.id", null)));
        }

        @Test
        void negativeLiteralIsFolded() {
            assertEquals(
                    json("{'term':{'process.pid':{'value':-1}}}"),
                    condition(cmp(ComparisonOperator.EQ, f("process.pid"), new Expr.Negate(lit(1L)))));
        }
    }

    @Nested
    class Ranges {

        @Test
        void numericRanges() {
            assertEquals(
                    json("{'range':{'process.pid':{'lt':10}}}"),
                    condition(cmp(ComparisonOperator.LT, f("process.pid"), lit(10L))));
            assertEquals(
                    json("{'range':{'process.pid':{'gte':10}}}"),
                    condition(cmp(ComparisonOperator.GTE, f("process.pid"), lit(10L))));
            assertEquals(
                    json("{'range':{'score':{'gt':0.5}}}"),
                    condition(cmp(ComparisonOperator.GT, f("score"), lit(0.5))));
        }

        @Test
        void literalOnTheLeftFlipsTheOperator() {
            assertEquals(
                    json("{'range':{'process.pid':{'gt':10}}}"),
                    condition(cmp(ComparisonOperator.LT, lit(10L), f("process.pid"))));
        }

        @Test
        void fractionalBoundOnALongFieldBecomesAnIntegerBound() {
            assertEquals(
                    json("{'range':{'process.pid':{'lte':4}}}"),
                    condition(cmp(ComparisonOperator.LT, f("process.pid"), lit(4.5))));
            assertEquals(
                    json("{'range':{'process.pid':{'gte':5}}}"),
                    condition(cmp(ComparisonOperator.GT, f("process.pid"), lit(4.5))));
        }

        @Test
        void negatedRangeIsMustNot() {
            assertEquals(
                    json("{'bool':{'must_not':[{'range':{'process.pid':{'lt':10}}}]}}"),
                    condition(new Expr.Not(cmp(ComparisonOperator.LT, f("process.pid"), lit(10L)))));
        }

        @Test
        void keywordAndIpRanges() {
            assertEquals(
                    json("{'range':{'host.id':{'lte':'m'}}}"),
                    condition(cmp(ComparisonOperator.LTE, f("host.id"), lit("m"))));
            assertEquals(
                    json("{'range':{'source.ip':{'gte':'10.0.0.0'}}}"),
                    condition(cmp(ComparisonOperator.GTE, f("source.ip"), lit("10.0.0.0"))));
            assertEquals(
                    json("{'exists':{'field':'host.id'}}"),
                    condition(cmp(ComparisonOperator.LT, f("host.id"), lit(5L))));
        }
    }

    @Nested
    class InAndPatterns {

        @Test
        void inIsTerms() {
            assertEquals(
                    json("{'terms':{'process.name':['a','b']}}"),
                    condition(new Expr.In(f("process.name"), List.of(lit("a"), lit("b")), false, false)));
        }

        @Test
        void notInIsMustNotTerms() {
            assertEquals(
                    json("{'bool':{'must_not':[{'terms':{'process.name':['a','b']}}]}}"),
                    condition(new Expr.In(f("process.name"), List.of(lit("a"), lit("b")), true, false)));
        }

        @Test
        void caseInsensitiveInIsCaseInsensitiveTerms() {
            assertEquals(
                    json(
                            "{'bool':{'should':[{'term':{'process.name':{'value':'A','case_insensitive':true}}},"
                                    + "{'term':{'process.name':{'value':'b','case_insensitive':true}}}],'minimum_should_match':1}}"),
                    condition(new Expr.In(f("process.name"), List.of(lit("A"), lit("b")), false, true)));
        }

        @Test
        void inOnALongField() {
            assertEquals(
                    json("{'terms':{'process.pid':[4,8]}}"),
                    condition(new Expr.In(f("process.pid"), List.of(lit(4L), lit("8")), false, false)));
        }

        @Test
        void colonIsCaseInsensitiveTermOrWildcard() {
            assertEquals(
                    json(
                            "{'bool':{'should':[{'term':{'process.name':{'value':'incoming','case_insensitive':true}}},"
                                    + "{'wildcard':{'process.name':{'value':'in*g?','case_insensitive':true}}}],'minimum_should_match':1}}"),
                    condition(new Expr.Match(
                            MatchOperator.COLON, f("process.name"), List.of(lit("incoming"), lit("in*g?")), true)));
        }

        @Test
        void wildcardEscapesBackslash() {
            assertEquals(
                    json(
                            "{'wildcard':{'process.name':{'value':'C:\\\\\\\\Windows\\\\\\\\*','case_insensitive':true}}}"),
                    condition(new Expr.Match(
                            MatchOperator.COLON, f("process.name"), List.of(lit("C:\\Windows\\*")), true)));
        }

        @Test
        void likeIsCaseSensitiveUnlessTilde() {
            assertEquals(
                    json("{'wildcard':{'process.name':{'value':'cmd*'}}}"),
                    condition(new Expr.Match(MatchOperator.LIKE, f("process.name"), List.of(lit("cmd*")), false)));
            assertEquals(
                    json("{'wildcard':{'process.name':{'value':'cmd*','case_insensitive':true}}}"),
                    condition(new Expr.Match(MatchOperator.LIKE, f("process.name"), List.of(lit("cmd*")), true)));
        }

        @Test
        void regexIsTheRegexpQueryElasticsearchSends() {
            assertEquals(
                    json("{'regexp':{'process.name':{'value':'cmd.*'}}}"),
                    condition(new Expr.Match(MatchOperator.REGEX, f("process.name"), List.of(lit("cmd.*")), false)));
            assertEquals(
                    json("{'regexp':{'process.name':{'value':'[a-z]\\\\.exe','case_insensitive':true}}}"),
                    condition(
                            new Expr.Match(MatchOperator.REGEX, f("process.name"), List.of(lit("[a-z]\\.exe")), true)));
            assertEquals(
                    json("{'bool':{'must_not':[{'regexp':{'process.name':{'value':'cmd.*'}}}]}}"),
                    condition(new Expr.Not(
                            new Expr.Match(MatchOperator.REGEX, f("process.name"), List.of(lit("cmd.*")), false))));
        }

        @Test
        void negatedColonIsMustNot() {
            assertEquals(
                    json(
                            "{'bool':{'must_not':[{'wildcard':{'process.name':{'value':'*.exe','case_insensitive':true}}}]}}"),
                    condition(new Expr.Not(
                            new Expr.Match(MatchOperator.COLON, f("process.name"), List.of(lit("*.exe")), true))));
        }
    }

    @Nested
    class Functions {

        private Expr fn(String name, boolean ci, Expr... args) {
            return new Expr.Function(name, ci, Arrays.asList(args));
        }

        @Test
        void stringFunctionsOnKeywordsArePushedDown() {
            assertEquals(
                    json("{'prefix':{'process.name':{'value':'cmd'}}}"),
                    condition(fn("startsWith", false, f("process.name"), lit("cmd"))));
            assertEquals(
                    json("{'wildcard':{'process.name':{'value':'*.EXE','case_insensitive':true}}}"),
                    condition(fn("endsWith", true, f("process.name"), lit(".EXE"))));
            assertEquals(
                    json("{'wildcard':{'process.name':{'value':'*a\\\\*b*'}}}"),
                    condition(fn("stringContains", false, f("process.name"), lit("a*b"))));
        }

        @Test
        void cidrMatchIsATermOnTheIpField() {
            assertEquals(
                    json("{'bool':{'should':[{'term':{'source.ip':{'value':'10.0.0.0/8'}}},"
                            + "{'term':{'source.ip':{'value':'fd00::/8'}}}],'minimum_should_match':1}}"),
                    condition(fn("cidrMatch", false, f("source.ip"), lit("10.0.0.0/8"), lit("fd00::/8"))));
            assertEquals(
                    json("{'term':{'source.ip':{'value':'10.0.0.0/8'}}}"),
                    condition(cmp(
                            ComparisonOperator.EQ,
                            fn("cidrMatch", false, f("source.ip"), lit("10.0.0.0/8")),
                            lit(true))));
        }

        @Test
        void negatedFunctionIsMatchAll() {
            assertEquals(
                    json("{'match_all':{}}"),
                    condition(new Expr.Not(fn("startsWith", false, f("process.name"), lit("cmd")))));
        }

        @Test
        void otherFunctionsAndArithmeticAreMatchAll() {
            assertEquals(
                    json("{'match_all':{}}"),
                    condition(cmp(ComparisonOperator.EQ, fn("length", false, f("process.name")), lit(3L))));
            assertEquals(
                    json("{'match_all':{}}"),
                    condition(cmp(
                            ComparisonOperator.EQ,
                            new Expr.Arithmetic(io.eqlwatch.eql.ast.ArithmeticOperator.ADD, f("process.pid"), lit(1L)),
                            lit(5L))));
            assertEquals(json("{'match_all':{}}"), condition(cmp(ComparisonOperator.EQ, f("process.pid"), f("score"))));
        }

        @Test
        void functionOnATextFieldFallsBackToExists() {
            assertEquals(
                    json("{'exists':{'field':'message'}}"), condition(fn("startsWith", false, f("message"), lit("x"))));
        }
    }

    @Nested
    class BooleanLogic {

        @Test
        void andOrNot() {
            Expr e = new Expr.Or(eq("process.name", "a"), new Expr.Not(eq("host.id", "h")));
            assertEquals(
                    json("{'bool':{'should':[{'term':{'process.name':{'value':'a'}}},"
                            + "{'bool':{'must_not':[{'term':{'host.id':{'value':'h'}}}]}}],'minimum_should_match':1}}"),
                    condition(e));
        }

        @Test
        void notOfAndIsOrOfNegations() {
            Expr e = new Expr.Not(new Expr.And(eq("process.name", "a"), eq("host.id", "h")));
            assertEquals(
                    json("{'bool':{'should':[{'bool':{'must_not':[{'term':{'process.name':{'value':'a'}}}]}},"
                            + "{'bool':{'must_not':[{'term':{'host.id':{'value':'h'}}}]}}],'minimum_should_match':1}}"),
                    condition(e));
        }

        @Test
        void coarsenedSubtreeStaysCoarseUnderNegation() {
            // not(a and length(x) == 3): the coarse half may be false anywhere, so the whole may be true anywhere.
            Expr coarse =
                    cmp(ComparisonOperator.EQ, new Expr.Function("length", false, List.of(f("process.name"))), lit(3L));
            assertEquals(json("{'match_all':{}}"), condition(new Expr.Not(new Expr.And(eq("host.id", "h"), coarse))));
            // and under a double negation it keeps the exact half
            assertEquals(
                    json("{'term':{'host.id':{'value':'h'}}}"),
                    condition(new Expr.Not(new Expr.Not(new Expr.And(eq("host.id", "h"), coarse)))));
        }

        @Test
        void coarseExistsIsNeverNegatedIntoMustNotExists() {
            // `not (pid == "four")` may be true on any document: not must_not exists.
            assertEquals(json("{'match_all':{}}"), condition(new Expr.Not(eq("process.pid", "four"))));
        }

        @Test
        void booleanLiterals() {
            assertEquals(json("{'match_all':{}}"), condition(lit(true)));
            assertEquals(json("{'match_none':{}}"), condition(lit(false)));
            assertEquals(
                    json("{'term':{'host.id':{'value':'h'}}}"), condition(new Expr.Or(lit(false), eq("host.id", "h"))));
            assertEquals(json("{'match_none':{}}"), condition(new Expr.Not(lit(true))));
        }
    }

    @Nested
    class ReadFilters {

        /** The read filter of a whole query, as its plan puts the stage filters together. */
        private String readFilterOf(Query q) {
            return Planner.plan(q, TYPES, PushDownTranslator.DEFAULT_CATEGORY_FIELD)
                    .readFilter()
                    .toString();
        }

        @Test
        void sequenceReadsEveryStageWithItsJoinKeysPresent() {
            SequenceStage network = new SequenceStage(
                    new EventQuery("network", eq("process.pid", 4L)), List.of(f("process.entity_id")), 1, false);
            SequenceStage file = new SequenceStage(
                    new EventQuery("file", lit(true)), List.of(new Expr.Field("process.entity_id", true)), 1, false);
            SequenceStage until =
                    new SequenceStage(new EventQuery("process", lit(true)), List.of(f("process.entity_id")), 1, false);
            SequenceStage missing =
                    new SequenceStage(new EventQuery("registry", lit(true)), List.of(f("process.entity_id")), 1, true);
            Query q = new Query(
                    new SequenceQuery(
                            List.of(f("host.id")), Duration.ofSeconds(30), List.of(network, missing, file), until),
                    List.of());
            assertEquals(
                    json("{'bool':{'should':["
                            + "{'bool':{'filter':[{'term':{'event.category':{'value':'network'}}},{'term':{'process.pid':{'value':4}}},"
                            + "{'exists':{'field':'host.id'}},{'exists':{'field':'process.entity_id'}}]}},"
                            + "{'bool':{'filter':[{'term':{'event.category':{'value':'registry'}}},"
                            + "{'exists':{'field':'host.id'}},{'exists':{'field':'process.entity_id'}}]}},"
                            + "{'bool':{'filter':[{'term':{'event.category':{'value':'file'}}},{'exists':{'field':'host.id'}}]}},"
                            + "{'bool':{'filter':[{'term':{'event.category':{'value':'process'}}},"
                            + "{'exists':{'field':'host.id'}},{'exists':{'field':'process.entity_id'}}]}}"
                            + "],'minimum_should_match':1}}"),
                    readFilterOf(q));
        }

        @Test
        void eventQueryReadFilterIsItsTranslation() {
            assertEquals(
                    json("{'term':{'event.category':{'value':'file'}}}"),
                    readFilterOf(new Query(new EventQuery("file", lit(true)), List.of())));
        }
    }
}
