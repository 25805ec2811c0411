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
            value = {"(ab", "ab)", "[ab", "a{x}", "*a", "~a", "a&b", "x<1->", "\"ab", "a\\c", "[\\Q]", "a{,2}"})
    void malformedOrUnsupportedPatternsAreRejected(String regex) {
        assertThrows(IllegalArgumentException.class, () -> LuceneRegex.compile(regex, false));
    }

    /** Lucene's ASCII_CASE_INSENSITIVE: single ASCII letters fold, in classes too; ranges and other letters do not. */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "VALUE[^Z].?;valuea;true",
                "VALUE[^Z].?;valuez;false",
                "value;VALUE;true",
                "vAlUe;ValuE;true",
                "[abc]+;ABC;true",
                "[a-z]+;ABC;false",
                "[a-z]+;abc;true",
                "[A-Z]+;abc;false",
                "[a-cB]+;ab;true",
                "[a-cB]+;aB;true",
                "[a-cB]+;aC;false",
                "[^a];A;false",
                "[^a-c];B;true",
                "\"AbC\";abc;true",
                "\\.Q9;.q9;true",
                "\u00e9;\u00c9;false",
                "\u00e9;\u00e9;true",
                "k;\u212a;false",
                "\\w+;AbC;true"
            })
    void caseInsensitive(String regex, String value, boolean expected) {
        assertEquals(expected, LuceneRegex.compile(regex, true).matcher(value).matches());
    }

    /** Lucene 10.2 and later (Elasticsearch 9.1+): single characters fold Unicode case; ranges still keep theirs. */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "\u00e9;\u00c9;true",
                "caf\u00c9;CAF\u00e9;true",
                "k;\u212a;true",
                "[s]+;S\u017fs;true",
                "[^s];\u017f;false",
                "[a-z]+;ABC;false",
                "[\u03c3];\u03c2;true",
                "\"\u03a3\";\u03c3;true",
                "x\\d;X7;true"
            })
    void caseInsensitiveUnicode(String regex, String value, boolean expected) {
        assertEquals(
                expected,
                LuceneRegex.compile(regex, io.eqlwatch.event.CaseFolding.UNICODE)
                        .matcher(value)
                        .matches());
    }
}
