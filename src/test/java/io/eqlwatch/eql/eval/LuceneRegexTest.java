package io.eqlwatch.eql.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lucene regexp semantics (Elasticsearch's "Regular expression syntax" page), whole-value matching. */
class LuceneRegexTest {

    private static boolean matches(String regex, String value) {
        return LuceneRegex.compile(regex, false).matcher(value).matches();
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "abc;abc;true",
                "abc;abcd;false",
                "ab.;abz;true",
                "a*;'';true",
                "a+;'';false",
                "ab?;a;true",
                "a{2};aa;true",
                "a{2,};aaaa;true",
                "a{2,3};aaaa;false",
                "(ab)+;abab;true",
                "ab|cd;ab;true",
                "ab|cd;abcd;false",
                "ab\\|cd;ab|cd;true",
                "[a-c]+;abcab;true",
                "[^a-c];d;true",
                "[^a-c];a;false",
                "[a\\-z];-;true",
                "\\.;.;true",
                "\\d+;123;true",
                "\\w+\\s\\w+;ab cd;true",
                "\"a+b\";a+b;true",
                "a@;abc;true",
                "#;'';false",
                "x<1-12>;x07;true",
                "x<1-12>;x13;false",
                "a*+a;aa;true",
                "a*?b;aab;true",
                "[24][0-9]{3};2755;true",
                "^a$;^a$;true",
                "a.*?(x|y).*;abyz;true"
            })
    void luceneSyntax(String regex, String value, boolean expected) {
        String v = "''".equals(value) ? "" : value;
        assertEquals(expected, matches(regex, v));
    }

    @org.junit.jupiter.api.Test
    void dotMatchesNewlines() {
        assertEquals(true, matches("a.c", "a\nc"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {"(ab", "ab)", "[ab", "a{x}", "*a", "~a", "a&b", "x<1->", "\"ab"})
    void malformedOrUnsupportedPatternsAreRejected(String regex) {
        assertThrows(IllegalArgumentException.class, () -> LuceneRegex.compile(regex, false));
    }

    @ParameterizedTest
    @CsvSource({"VALUE[^Z].?,valuea,true", "value,VALUE,true", "[a-z]+,ABC,true"})
    void caseInsensitive(String regex, String value, boolean expected) {
        assertEquals(expected, LuceneRegex.compile(regex, true).matcher(value).matches());
    }
}
