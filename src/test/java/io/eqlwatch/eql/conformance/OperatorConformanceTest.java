package io.eqlwatch.eql.conformance;

import static io.eqlwatch.eql.conformance.Eql.matches;
import static io.eqlwatch.eql.conformance.Eql.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One test per documented behaviour of the EQL operators, from Elasticsearch's "EQL syntax
 * reference" (docs/reference/query-languages/eql/eql-syntax.md), section named in each test.
 */
class OperatorConformanceTest {

    private static String name(String value) {
        return "{\"my_field\": \"" + value + "\"}";
    }

    @Nested
    class ComparisonOperators {

        @Test
        void lessThanAndLessOrEqual() {
            // "< (less than) Returns true if the value to the left of the operator is less than the value to the right"
            assertTrue(matches("n < 5", "{\"n\": 4}"));
            assertFalse(matches("n < 5", "{\"n\": 5}"));
            assertTrue(matches("n <= 5", "{\"n\": 5}"));
            assertFalse(matches("n <= 5", "{\"n\": 6}"));
        }

        @Test
        void greaterThanAndGreaterOrEqual() {
            assertTrue(matches("n > 5", "{\"n\": 6}"));
            assertFalse(matches("n > 5", "{\"n\": 5}"));
            assertTrue(matches("n >= 5", "{\"n\": 5}"));
            assertFalse(matches("n >= 5", "{\"n\": 4.5}"));
        }

        @Test
        void stringOrderingIsCaseSensitiveLexicographic() {
            // ">= ... When comparing strings, the operator uses a case-sensitive lexicographic order."
            assertTrue(matches("my_field > \"B\"", name("a")), "lower case sorts after upper case");
            assertFalse(matches("my_field > \"b\"", name("B")));
            assertTrue(matches("my_field >= \"abc\"", name("abd")));
        }

        @Test
        void doubleEqualsIsCaseSensitive() {
            // "== (equal, case-sensitive)"
            assertTrue(matches("my_field == \"cmd.exe\"", name("cmd.exe")));
            assertFalse(matches("my_field == \"cmd.exe\"", name("Cmd.exe")));
        }

        @Test
        void doubleEqualsDoesNotExpandWildcards() {
            // "The == and != operators do not expand wildcard characters ... interprets * as a literal asterisk"
            assertFalse(matches("my_field == \"cmd*.exe\"", name("cmd1.exe")));
            assertTrue(matches("my_field == \"cmd*.exe\"", name("cmd*.exe")));
            assertTrue(matches("my_field != \"cmd*.exe\"", name("cmd1.exe")));
        }

        @Test
        void notEqualIsCaseSensitive() {
            // "!= (not equal, case-sensitive)"
            assertTrue(matches("my_field != \"cmd.exe\"", name("Cmd.exe")));
            assertFalse(matches("my_field != \"cmd.exe\"", name("cmd.exe")));
        }

        @Test
        void singleEqualsIsNotAnOperator() {
            // "= is not supported as an equal operator. Use == or : instead."
            org.junit.jupiter.api.Assertions.assertThrows(
                    io.eqlwatch.eql.parser.EqlSyntaxException.class, () -> matches("my_field = \"a\"", name("a")));
        }

        @Test
        void constantOnTheLeftIsTheSameComparison() {
            assertTrue(matches("5 > n", "{\"n\": 4}"));
            assertTrue(matches("\"a\" == my_field", name("a")));
            assertFalse(matches("5 <= n", "{\"n\": 4}"));
        }
    }

    @Nested
    class WildcardsAndColon {

        @ParameterizedTest
        @CsvSource({"doc,true", "docs,true", "document,true", "DOS,false", "DOCUMENT,true"})
        void starMatchesZeroOrMoreCharacters(String value, boolean expected) {
            // Wildcards: my_field : "doc*"  // Matches "doc", "docs", or "document" but not "DOS"
            assertEquals(expected, matches("my_field : \"doc*\"", name(value)));
        }

        @ParameterizedTest
        @CsvSource({"adoc,true", "asciidoc,true", "doc,true", "docs,false"})
        void leadingStar(String value, boolean expected) {
            // my_field : "*doc"  // Matches "adoc" or "asciidoc"
            assertEquals(expected, matches("my_field : \"*doc\"", name(value)));
        }

        @ParameterizedTest
        @CsvSource({"doc,true", "disc,true", "dc,true", "dog,false"})
        void innerStar(String value, boolean expected) {
            // my_field : "d*c"  // Matches "doc" or "disc"
            assertEquals(expected, matches("my_field : \"d*c\"", name(value)));
        }

        @ParameterizedTest
        @CsvSource({"docs,true", "doc,false", "document,false", "DOS,false"})
        void questionMarkMatchesExactlyOneCharacter(String value, boolean expected) {
            // my_field : "doc?"  // Matches "docs" but not "doc", "document", or "DOS"
            assertEquals(expected, matches("my_field : \"doc?\"", name(value)));
        }

        @ParameterizedTest
        @CsvSource({"adoc,true", "asciidoc,false"})
        void leadingQuestionMark(String value, boolean expected) {
            // my_field : "?doc"  // Matches "adoc" but not "asciidoc"
            assertEquals(expected, matches("my_field : \"?doc\"", name(value)));
        }

        @ParameterizedTest
        @CsvSource({"doc,true", "disc,false"})
        void innerQuestionMark(String value, boolean expected) {
            // my_field : "d?c"  // Matches "doc" but not "disc"
            assertEquals(expected, matches("my_field : \"d?c\"", name(value)));
        }

        @Test
        void colonIsCaseInsensitiveEquality() {
            // ": (equal, case-insensitive) Returns true if strings to the left and right of the operator are equal"
            assertTrue(matches("my_field : \"CMD.EXE\"", name("cmd.exe")));
            assertFalse(matches("my_field : \"cmd.ex\"", name("cmd.exe")), "whole value must match");
        }

        @Test
        void colonWithAListMatchesAnyEntryCaseInsensitively() {
            // Lookup operators: my_field : ("value-1", "value2", "val3")  // case-insensitive
            assertTrue(matches("my_field : (\"value-1\", \"value2\", \"val3\")", name("VALUE2")));
            assertFalse(matches("my_field : (\"value-1\", \"value2\", \"val3\")", name("value4")));
            // "The : operator and like keyword also support wildcards in list lookups"
            assertTrue(matches("my_field : (\"doc*\", \"f*o\", \"ba?\", \"qux\")", name("FOO")));
            assertTrue(matches("my_field : (\"doc*\", \"f*o\", \"ba?\", \"qux\")", name("bar")));
            assertFalse(matches("my_field : (\"doc*\", \"f*o\", \"ba?\", \"qux\")", name("barn")));
        }

        @Test
        void backslashIsAnOrdinaryCharacterInPatterns() {
            // Windows paths in rules depend on this: "C:\\Windows\\*" is the pattern C:\Windows\*
            assertTrue(matches("p : \"C:\\\\Windows\\\\*\"", "{\"p\": \"c:\\\\windows\\\\system32\"}"));
            assertFalse(matches("p : \"C:\\\\Windows\\\\*\"", "{\"p\": \"C:\\\\Temp\\\\x\"}"));
        }
    }

    @Nested
    class LikeAndRegex {

        @ParameterizedTest
        @CsvSource({"DOC,true", "DOCS,true", "DOCs,true", "DOCUMENT,true", "DOS,false", "doc,false"})
        void likeIsCaseSensitiveWildcardMatching(String value, boolean expected) {
            // my_field like "DOC*"  // Matches "DOC", "DOCS", "DOCs", or "DOCUMENT" but not "DOS"
            assertEquals(expected, matches("my_field like \"DOC*\"", name(value)));
        }

        @ParameterizedTest
        @CsvSource({"DOC,true", "DISC,true", "DisC,true", "disc,false"})
        void likeInnerStar(String value, boolean expected) {
            // my_field like "D*C"  // Matches "DOC", "DISC", or "DisC"
            assertEquals(expected, matches("my_field like \"D*C\"", name(value)));
        }

        @ParameterizedTest
        @CsvSource({"DOCS,true", "DOCs,true", "DOC,false", "DOCUMENT,false", "DOS,false"})
        void likeQuestionMark(String value, boolean expected) {
            // my_field like "DOC?"  // Matches "DOCS" or "DOCs" but not "DOC", "DOCUMENT", or "DOS"
            assertEquals(expected, matches("my_field like \"DOC?\"", name(value)));
        }

        @Test
        void likeTildeIsCaseInsensitiveAndEquivalentToColon() {
            // "my_field like~ "value*" // case-insensitive wildcard matching"; "The : operator is equivalent to like~."
            for (String value : new String[] {"VALUE1", "value", "Val", "xvalue"}) {
                assertEquals(
                        matches("my_field : \"value*\"", name(value)),
                        matches("my_field like~ \"value*\"", name(value)),
                        value);
            }
            assertTrue(matches("my_field like~ \"value*\"", name("VALUE1")));
        }

        @Test
        void likeWithAList() {
            // my_field like ("Value-*", "VALUE2", "VAL?")  // case-sensitive
            assertTrue(matches("my_field like (\"Value-*\", \"VALUE2\", \"VAL?\")", name("Value-9")));
            assertTrue(matches("my_field like (\"Value-*\", \"VALUE2\", \"VAL?\")", name("VAL3")));
            assertFalse(matches("my_field like (\"Value-*\", \"VALUE2\", \"VAL?\")", name("value2")));
            assertTrue(matches("my_field like~ (\"value-*\", \"value2\", \"val?\")", name("VALUE2")));
        }

        @Test
        void regexIsCaseSensitiveAndMatchesTheWholeValue() {
            // my_field regex "VALUE[^Z].?"  // case-sensitive regex matching
            assertTrue(matches("my_field regex \"VALUE[^Z].?\"", name("VALUEA")));
            assertTrue(matches("my_field regex \"VALUE[^Z].?\"", name("VALUEAB")));
            assertFalse(matches("my_field regex \"VALUE[^Z].?\"", name("VALUEZ")));
            assertFalse(matches("my_field regex \"VALUE[^Z].?\"", name("valuea")));
            assertFalse(matches("my_field regex \"VALUE[^Z].?\"", name("VALUEABC")), "anchored like Lucene regexp");
        }

        @Test
        void regexTildeIsCaseInsensitive() {
            // my_field regex~ "value[^z].?"  // case-insensitive regex matching
            assertTrue(matches("my_field regex~ \"value[^z].?\"", name("VALUEA")));
        }

        @Test
        void regexWithAList() {
            // my_field regex ("[vV]alue-[0-9]", "VALUE[^2].?", "VAL3")
            String list = "(\"[vV]alue-[0-9]\", \"VALUE[^2].?\", \"VAL3\")";
            assertTrue(matches("my_field regex " + list, name("value-7")));
            assertTrue(matches("my_field regex " + list, name("VAL3")));
            assertFalse(matches("my_field regex " + list, name("VALUE2")));
        }

        @Test
        void regexUsesLuceneSyntax() {
            // Regular expression syntax reference: Lucene regexp; "..." quotes literals, @ is any string,
            // <1-10> a numeric interval, and there are no anchors.
            assertTrue(matches("my_field regex \"a\\\"+*\\\"b\"", name("a+*b")));
            assertTrue(matches("my_field regex \"foo@\"", name("foobar")));
            assertTrue(matches("my_field regex \"port<1-100>\"", name("port42")));
            assertFalse(matches("my_field regex \"port<1-100>\"", name("port101")));
            assertTrue(matches("my_field regex \"[0-9]{3}\"", name("123")));
        }
    }

    @Nested
    class LookupOperators {

        @Test
        void inIsCaseSensitive() {
            // my_field in ("Value-1", "VALUE2", "VAL3")  // case-sensitive
            assertTrue(matches("my_field in (\"Value-1\", \"VALUE2\", \"VAL3\")", name("VALUE2")));
            assertFalse(matches("my_field in (\"Value-1\", \"VALUE2\", \"VAL3\")", name("value2")));
        }

        @Test
        void inTildeIsCaseInsensitive() {
            // my_field in~ ("value-1", "value2", "val3")  // case-insensitive
            assertTrue(matches("my_field in~ (\"value-1\", \"value2\", \"val3\")", name("VALUE2")));
        }

        @Test
        void notInAndNotInTilde() {
            // my_field not in ("Value-1", "VALUE2", "VAL3"); my_field not in~ (...)
            assertTrue(matches("my_field not in (\"Value-1\", \"VALUE2\")", name("value2")));
            assertFalse(matches("my_field not in (\"Value-1\", \"VALUE2\")", name("VALUE2")));
            assertFalse(matches("my_field not in~ (\"value-1\", \"value2\")", name("VALUE2")));
        }

        @Test
        void inDoesNotExpandWildcards() {
            assertFalse(matches("my_field in (\"doc*\")", name("docs")));
        }
    }

    @Nested
    class LogicalOperators {

        @Test
        void andOrNot() {
            // "and Returns true only if the condition to the left and right both return true"
            assertTrue(matches("a == 1 and b == 2", "{\"a\": 1, \"b\": 2}"));
            assertFalse(matches("a == 1 and b == 2", "{\"a\": 1, \"b\": 3}"));
            // "or Returns true if one of the conditions to the left or right true"
            assertTrue(matches("a == 1 or b == 2", "{\"a\": 0, \"b\": 2}"));
            assertFalse(matches("a == 1 or b == 2", "{\"a\": 0, \"b\": 0}"));
            // "not Returns true if the condition to the right is false"
            assertTrue(matches("not a == 1", "{\"a\": 0}"));
            assertFalse(matches("not a == 1", "{\"a\": 1}"));
        }

        @Test
        void whereTrueMatchesAnyEvent() {
            // "To match events solely on event category, use the where true condition."
            assertTrue(matches("true", "{}"));
            assertFalse(matches("false", "{}"));
        }
    }

    @Nested
    class MathOperators {

        @Test
        void addSubtractMultiplyModulo() {
            assertTrue(matches("n + 2 == 6", "{\"n\": 4}"));
            assertTrue(matches("n - 6 == -2", "{\"n\": 4}"));
            assertTrue(matches("n * 2.5 == 10", "{\"n\": 4}"));
            assertTrue(matches("n % 3 == 1", "{\"n\": 4}"));
        }

        @Test
        void integerDivisionRoundsDown() {
            // Math operators, warning: "If both the dividend and divisor are integers, the divide (\) operation
            // rounds down any returned floating point numbers" -- ( 4 / process.args_count ) == 1 matches 3 and 4.
            FieldTypes longCount = types("process.args_count", FieldType.LONG);
            assertTrue(matches("( 4 / process.args_count ) == 1", "{\"process\": {\"args_count\": 3}}", longCount));
            assertTrue(matches("( 4 / process.args_count ) == 1", "{\"process\": {\"args_count\": 4}}", longCount));
            // "To match only events with a process.args_count value of 4, convert either the dividend or divisor to a
            // float."
            assertFalse(matches("( 4.0 / process.args_count ) == 1", "{\"process\": {\"args_count\": 3}}", longCount));
            assertTrue(matches("( 4.0 / process.args_count ) == 1", "{\"process\": {\"args_count\": 4}}", longCount));
        }

        @Test
        void arithmeticOnAMissingFieldIsNullAndDoesNotMatch() {
            assertFalse(matches("n + 1 == 1", "{}"));
            assertFalse(matches("n + 1 != 1", "{}"));
        }
    }

    @Nested
    class OptionalFields {

        @Test
        void missingOptionalFieldIsNull() {
            // Optional fields: "network where ?user.id != null" matches events that contain a user.id value
            assertTrue(matches("?user.id != null", "{\"user\": {\"id\": \"u1\"}}"));
            assertFalse(matches("?user.id != null", "{}"));
        }

        @Test
        void checkIfAFieldExists() {
            // "To match events that do not contain a field value, compare the field to null using the == operator"
            assertTrue(matches("?my_field == null", "{}"));
            assertFalse(matches("?my_field == null", name("x")));
            assertTrue(matches("my_field == null", "{\"my_field\": null}"));
        }
    }
}
