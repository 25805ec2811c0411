package io.eqlwatch.eql.conformance;

import static io.eqlwatch.eql.conformance.Eql.matches;
import static io.eqlwatch.eql.conformance.Eql.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The examples of Elasticsearch's "EQL function reference"
 * (docs/reference/query-languages/eql/eql-function-ref.md), one test per documented behaviour.
 * Integers are {@code Long}, decimals {@code Double}.
 */
class FunctionConformanceTest {

    @Nested
    class Add {
        private static final String EVENT = "{\"process\": {\"args_count\": 4, \"parent\": {\"args_count\": 2}}}";

        @Test
        void sums() {
            assertEquals(9L, value("add(4, 5)"));
            assertEquals(4.5, value("add(4, 0.5)"));
            assertEquals(0.75, value("add(0.5, 0.25)"));
            assertEquals(2L, value("add(4, -2)"));
            assertEquals(-4L, value("add(-2, -2)"));
        }

        @Test
        void withFields() {
            assertEquals(9L, value("add(process.args_count, 5)", EVENT));
            assertEquals(4.5, value("add(process.args_count, 0.5)", EVENT));
            assertEquals(6L, value("add(process.args_count, process.parent.args_count)", EVENT));
        }

        @Test
        void nullHandling() {
            assertNull(value("add(null, 4)"));
            assertNull(value("add(4, null)"));
            assertNull(value("add(null, process.args_count)", EVENT));
            assertNull(value("add(process.missing, 1)", EVENT));
        }
    }

    @Nested
    class Between {
        private static final String EVENT = "{\"file\": {\"path\": \"C:\\\\Windows\\\\System32\\\\cmd.exe\"}}";

        @Test
        void extractsBetweenLeftAndRight() {
            assertEquals("cmd", value("between(file.path, \"System32\\\\\", \".exe\")", EVENT));
            assertEquals("", value("between(file.path, \"system32\\\\\", \".exe\")", EVENT));
            assertEquals("", value("between(file.path, \"workspace\\\\\", \".exe\")", EVENT));
        }

        @Test
        void caseInsensitiveForm() {
            assertEquals("cmd", value("between~(file.path, \"system32\\\\\", \".exe\")", EVENT));
        }

        @Test
        void greedyMatching() {
            assertEquals("Windows", value("between(file.path, \"\\\\\", \"\\\\\", false)", EVENT));
            assertEquals("Windows\\System32", value("between(file.path, \"\\\\\", \"\\\\\", true)", EVENT));
        }

        @Test
        void emptySourceAndNull() {
            assertEquals("", value("between(\"\", \"System32\\\\\", \".exe\")"));
            assertEquals("", value("between(\"\", \"\", \"\")"));
            assertNull(value("between(null, \"System32\\\\\", \".exe\")"));
        }
    }

    @Nested
    class CidrMatch {
        private static final String EVENT = "{\"source\": {\"address\": \"192.168.152.12\"}}";

        @Test
        void matchesAnyBlock() {
            assertTrue(matches("cidrMatch(source.address, \"192.168.0.0/16\")", EVENT));
            assertTrue(matches("cidrMatch(source.address, \"192.168.0.0/16\", \"10.0.0.0/8\")", EVENT));
            assertFalse(matches("cidrMatch(source.address, \"10.0.0.0/8\")", EVENT));
            assertFalse(matches("cidrMatch(source.address, \"10.0.0.0/8\", \"10.128.0.0/9\")", EVENT));
            assertEquals(true, value("cidrMatch(source.address, \"192.168.0.0/16\")", EVENT));
        }

        @Test
        void ipv6() {
            assertTrue(matches("cidrMatch(ip, \"fe80::/10\")", "{\"ip\": \"fe80::1\"}"));
            assertFalse(matches("cidrMatch(ip, \"fe80::/10\")", "{\"ip\": \"2001:db8::1\"}"));
        }

        @Test
        void nullHandling() {
            assertNull(value("cidrMatch(null, \"10.0.0.0/8\")"));
            assertNull(value("cidrMatch(source.address, null)", EVENT));
        }
    }

    @Nested
    class Concat {
        @Test
        void concatenatesTextForms() {
            assertEquals("process is regsvr32.exe", value("concat(\"process is \", \"regsvr32.exe\")"));
            assertEquals("regsvr32.exe 42", value("concat(\"regsvr32.exe\", \" \", 42)"));
            assertEquals("regsvr32.exe 42.5", value("concat(\"regsvr32.exe\", \" \", 42.5)"));
            assertEquals("regsvr32.exe true", value("concat(\"regsvr32.exe\", \" \", true)"));
            assertEquals("regsvr32.exe", value("concat(\"regsvr32.exe\")"));
            assertEquals(
                    "regsvr32.exe 4",
                    value(
                            "concat(process.name, \" \", process.arg_count)",
                            "{\"process\": {\"name\": \"regsvr32.exe\", \"arg_count\": 4}}"));
        }

        @Test
        void anyNullGivesNull() {
            assertNull(value("concat(null, \"regsvr32.exe\")"));
            assertNull(value("concat(process.name, null)", "{\"process\": {\"name\": \"x\"}}"));
            assertNull(value("concat(null)"));
        }
    }

    @Nested
    class Divide {
        @Test
        void quotients() {
            assertEquals(2L, value("divide(4, 2)"));
            assertEquals(1L, value("divide(4, 3)"), "both integers: rounds down");
            assertEquals(4.0 / 3.0, value("divide(4, 3.0)"));
            assertEquals(8.0, value("divide(4, 0.5)"));
            assertEquals(0.125, value("divide(0.5, 4)"));
            assertEquals(2.0, value("divide(0.5, 0.25)"));
            assertEquals(-2L, value("divide(4, -2)"));
            assertEquals(2L, value("divide(-4, -2)"));
        }

        @Test
        void integerDivisionWarningExample() {
            // process where divide(4, process.args_count) == 1 matches args_count 3 and 4
            assertTrue(matches("divide(4, process.args_count) == 1", "{\"process\": {\"args_count\": 3}}"));
            assertFalse(matches("divide(4.0, process.args_count) == 1", "{\"process\": {\"args_count\": 3}}"));
        }

        @Test
        void nullHandling() {
            assertNull(value("divide(null, 4)"));
            assertNull(value("divide(4, null)"));
        }
    }

    @Nested
    class EndsWith {
        @Test
        void suffix() {
            assertEquals(true, value("endsWith(\"regsvr32.exe\", \".exe\")"));
            assertEquals(false, value("endsWith(\"regsvr32.exe\", \".EXE\")"));
            assertEquals(false, value("endsWith(\"regsvr32.exe\", \".dll\")"));
            assertEquals(true, value("endsWith(\"\", \"\")"));
            assertEquals(true, value("endsWith~(\"regsvr32.exe\", \".EXE\")"));
        }

        @Test
        void withFields() {
            assertTrue(matches("endsWith(file.name, \".exe\")", "{\"file\": {\"name\": \"regsvr32.exe\"}}"));
            assertFalse(matches("endsWith(file.name, \".dll\")", "{\"file\": {\"name\": \"regsvr32.exe\"}}"));
            assertEquals(
                    true, value("endsWith(\"regsvr32.exe\", file.extension)", "{\"file\": {\"extension\": \".exe\"}}"));
        }

        @Test
        void nullHandling() {
            assertNull(value("endsWith(\"regsvr32.exe\", null)"));
            assertNull(value("endsWith(\"\", null)"));
            assertNull(value("endsWith(null, \".exe\")"));
            assertNull(value("endsWith(null, null)"));
        }
    }

    @Nested
    class IndexOf {
        private static final String EVENT = "{\"url\": {\"domain\": \"subdomain.example.com\"}}";

        @Test
        void firstPosition() {
            assertEquals(3L, value("indexOf(url.domain, \"d\")", EVENT));
            assertNull(value("indexOf(url.domain, \"D\")", EVENT));
            assertEquals(9L, value("indexOf(url.domain, \".\")", EVENT));
            assertEquals(9L, value("indexOf(url.domain, \".\", 9)", EVENT));
            assertEquals(17L, value("indexOf(url.domain, \".\", 10)", EVENT));
            assertEquals(9L, value("indexOf(url.domain, \".\", -6)", EVENT));
        }

        @Test
        void caseInsensitiveForm() {
            // The reference prints 4 for indexOf~(url.domain, "D"), but the first d of "subdomain" is at 3,
            // which is what the case-sensitive example above (indexOf(url.domain, "d") returns 3) implies.
            assertEquals(3L, value("indexOf~(url.domain, \"D\")", EVENT));
        }

        @Test
        void emptyStrings() {
            assertEquals(0L, value("indexOf(\"\", \"\")"));
            assertEquals(0L, value("indexOf(url.domain, \"\")", EVENT));
            assertEquals(9L, value("indexOf(url.domain, \"\", 9)", EVENT));
            assertEquals(10L, value("indexOf(url.domain, \"\", 10)", EVENT));
            assertEquals(0L, value("indexOf(url.domain, \"\", -6)", EVENT));
        }

        @Test
        void missingSubstringsAndStartBeyondTheEnd() {
            assertNull(value("indexOf(url.domain, \"z\")", EVENT));
            assertNull(value("indexOf(url.domain, \"z\", 9)", EVENT));
            assertNull(value("indexOf(url.domain, \".\", 30)", EVENT));
        }

        @Test
        void nullHandling() {
            assertNull(value("indexOf(null, \".\", 9)"));
            assertNull(value("indexOf(url.domain, null, 9)", EVENT));
            assertNull(value("indexOf(url.domain, \".\", null)", EVENT));
        }
    }

    @Nested
    class Length {
        @Test
        void characterLength() {
            assertEquals(12L, value("length(\"explorer.exe\")"));
            assertEquals(18L, value("length(\"start explorer.exe\")"));
            assertEquals(0L, value("length(\"\")"));
            assertNull(value("length(null)"));
            assertEquals(12L, value("length(process.name)", "{\"process\": {\"name\": \"regsvr32.exe\"}}"));
        }
    }

    @Nested
    class Modulo {
        @Test
        void remainders() {
            assertEquals(4L, value("modulo(10, 6)"));
            assertEquals(0L, value("modulo(10, 5)"));
            assertEquals(0.0, value("modulo(10, 0.5)"));
            assertEquals(4L, value("modulo(10, -6)"));
            assertEquals(-4L, value("modulo(-10, -6)"));
            assertEquals(6L, value("modulo(106, process.args_count)", "{\"process\": {\"args_count\": 10}}"));
        }

        @Test
        void nullHandling() {
            assertNull(value("modulo(null, 5)"));
            assertNull(value("modulo(7, null)"));
        }
    }

    @Nested
    class Multiply {
        @Test
        void products() {
            assertEquals(4L, value("multiply(2, 2)"));
            assertEquals(1.0, value("multiply(0.5, 2)"));
            assertEquals(0.5, value("multiply(0.25, 2)"));
            assertEquals(-4L, value("multiply(-2, 2)"));
            assertEquals(4L, value("multiply(-2, -2)"));
            assertEquals(
                    6L,
                    value(
                            "multiply(process.args_count, process.parent.args_count)",
                            "{\"process\": {\"args_count\": 2, \"parent\": {\"args_count\": 3}}}"));
        }

        @Test
        void nullHandling() {
            assertNull(value("multiply(null, 2)"));
            assertNull(value("multiply(2, null)"));
        }
    }

    @Nested
    class NumberFunction {
        @Test
        void conversions() {
            assertEquals(1337L, value("number(\"1337\")"));
            assertEquals(42.5, value("number(\"42.5\")"));
            assertEquals(3735928559L, value("number(\"deadbeef\", 16)"));
        }

        @Test
        void hexPrefixIsAutoDetected() {
            assertEquals(3735928559L, value("number(\"0xdeadbeef\")"));
            assertEquals(3735928559L, value("number(\"0xdeadbeef\", 16)"));
            assertEquals(3735928559L, value("number(\"0xdeadbeef\", null)"));
        }

        @Test
        void signsAndWhitespace() {
            assertEquals(1337L, value("number(\"+1337\")"));
            assertEquals(-1337L, value("number(\"-1337\")"));
            assertEquals(1337L, value("number(\"  1337  \")"));
            assertEquals(1337L, value("number(\"1337\", null)"));
            assertEquals(1337L, value("number(process.pid)", "{\"process\": {\"pid\": \"1337\"}}"));
        }

        @Test
        void nullHandling() {
            assertNull(value("number(null)"));
            assertNull(value("number(null, 16)"));
        }
    }

    @Nested
    class StartsWith {
        @Test
        void prefix() {
            assertEquals(true, value("startsWith(\"regsvr32.exe\", \"regsvr32\")"));
            assertEquals(false, value("startsWith(\"regsvr32.exe\", \"Regsvr32\")"));
            assertEquals(false, value("startsWith(\"regsvr32.exe\", \"explorer\")"));
            assertEquals(true, value("startsWith(\"\", \"\")"));
            assertEquals(true, value("startsWith~(\"regsvr32.exe\", \"Regsvr32\")"));
        }

        @Test
        void withFields() {
            assertTrue(
                    matches("startsWith(process.name, \"regsvr32\")", "{\"process\": {\"name\": \"regsvr32.exe\"}}"));
            assertEquals(
                    true,
                    value("startsWith(\"regsvr32.exe\", process.name)", "{\"process\": {\"name\": \"regsvr32\"}}"));
            assertEquals(
                    false,
                    value("startsWith(\"explorer.exe\", process.name)", "{\"process\": {\"name\": \"regsvr32\"}}"));
        }

        @Test
        void nullHandling() {
            assertNull(value("startsWith(\"regsvr32.exe\", null)"));
            assertNull(value("startsWith(\"\", null)"));
            assertNull(value("startsWith(null, \"regsvr32\")"));
            assertNull(value("startsWith(null, null)"));
        }
    }

    @Nested
    class StringFunction {
        @Test
        void converts() {
            assertEquals("42", value("string(42)"));
            assertEquals("42.5", value("string(42.5)"));
            assertEquals("regsvr32.exe", value("string(\"regsvr32.exe\")"));
            assertEquals("true", value("string(true)"));
            assertNull(value("string(null)"));
        }
    }

    @Nested
    class StringContains {
        private static final String EVENT =
                "{\"process\": {\"command_line\": \"start regsvr32.exe\", \"name\": \"regsvr32.exe\"}}";

        @Test
        void substring() {
            assertTrue(matches("stringContains(process.command_line, \"regsvr32\")", EVENT));
            assertFalse(matches("stringContains(process.command_line, \"Regsvr32\")", EVENT));
            assertTrue(matches("stringContains(process.command_line, \"start \")", EVENT));
            assertFalse(matches("stringContains(process.command_line, \"explorer\")", EVENT));
            assertEquals(true, value("stringContains(process.command_line, process.name)", EVENT));
        }

        @Test
        void caseInsensitiveForm() {
            // The reference's example comment says stringContains~(process.command_line, "Regsvr32") "returns
            // false", contradicting its own description of ~ ("Matches ".exe", ".EXE", or ".Exe""); Elasticsearch
            // runs it as a case-insensitive wildcard query, so it matches.
            assertTrue(matches("stringContains~(process.command_line, \"Regsvr32\")", EVENT));
        }

        @Test
        void emptySubstring() {
            // The reference lists stringContains(x, "") as false, but Elasticsearch runs a field's call as the
            // wildcard query *<substring>*, which for "" is "**" and matches every value; a constant source is
            // folded with String.contains, also true. We follow what Elasticsearch executes.
            assertTrue(matches("stringContains(process.command_line, \"\")", EVENT));
            assertFalse(matches("stringContains(process.missing, \"\")", EVENT));
        }

        @Test
        void nullHandling() {
            assertNull(value("stringContains(null, \"regsvr32\")"));
            assertNull(value("stringContains(process.command_line, null)", EVENT));
        }
    }

    @Nested
    class Substring {
        @Test
        void slices() {
            assertEquals("regsvr32.exe", value("substring(\"start regsvr32.exe\", 6)"));
            assertEquals("start", value("substring(\"start regsvr32.exe\", 0, 5)"));
            assertEquals("regsvr32", value("substring(\"start regsvr32.exe\", 6, 14)"));
            assertEquals(".exe", value("substring(\"start regsvr32.exe\", -4)"));
            assertEquals(".ex", value("substring(\"start regsvr32.exe\", -4, -1)"));
        }

        @Test
        void startAfterEndOrLengthGivesEmpty() {
            // "If this position is higher than the <end_pos> position or the length of the <source> string,
            // the function returns an empty string."
            assertEquals("", value("substring(\"start\", 4, 2)"));
            assertEquals("", value("substring(\"start\", 10)"));
        }
    }

    @Nested
    class Subtract {
        @Test
        void differences() {
            assertEquals(8L, value("subtract(10, 2)"));
            assertEquals(10.0, value("subtract(10.5, 0.5)"));
            assertEquals(0.8, (Double) value("subtract(1, 0.2)"), 1e-12);
            assertEquals(-6L, value("subtract(-2, 4)"));
            assertEquals(2L, value("subtract(-2, -4)"));
            assertEquals(9.5, value("subtract(process.args_count, 0.5)", "{\"process\": {\"args_count\": 10}}"));
        }

        @Test
        void nullHandling() {
            assertNull(value("subtract(null, 2)"));
            assertNull(value("subtract(2, null)"));
        }
    }

    @Nested
    class CaseInsensitiveFunctions {
        @Test
        void tildeMakesAFunctionCaseInsensitive() {
            // Case-insensitive functions: stringContains(process.name,".exe") matches ".exe" but not ".EXE";
            // stringContains~(process.name,".exe") matches ".exe", ".EXE", or ".Exe"
            assertFalse(matches("stringContains(process.name, \".exe\")", "{\"process\": {\"name\": \"A.EXE\"}}"));
            assertTrue(matches("stringContains~(process.name, \".exe\")", "{\"process\": {\"name\": \"A.EXE\"}}"));
            assertTrue(matches("stringContains~(process.name, \".exe\")", "{\"process\": {\"name\": \"A.Exe\"}}"));
        }
    }
}
