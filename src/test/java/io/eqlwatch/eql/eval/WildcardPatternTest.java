package io.eqlwatch.eql.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WildcardPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} (ci={2}) -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "abc|abc|false|true",
                "abc|ABC|false|false",
                "abc|ABC|true|true",
                "ab*|abcdef|false|true",
                "*ef|abcdef|false|true",
                "*cd*|abcdef|false|true",
                "*CD*|abcdef|true|true",
                "a*c*e|abcde|false|true",
                "a*c*e|abcdf|false|false",
                "a?c|abc|false|true",
                "a?c|ac|false|false",
                "*|''|false|true",
                "**|x|false|true",
                "?|''|false|false",
                "C:\\Windows\\*|c:\\windows\\x|true|true",
                "*a*a*a*b|aaaaaaaaaaaaaaaaaaaaaaaa|false|false"
            })
    void matches(String pattern, String value, boolean ci, boolean expected) {
        String v = "''".equals(value) ? "" : value;
        assertEquals(expected, WildcardPattern.compile(pattern, ci).matches(v));
    }

    /** The fast paths and the general matcher agree with an equivalent java.util.regex pattern. */
    @Property(tries = 2000)
    void agreesWithARegexTranslation(
            @ForAll @StringLength(max = 6) @CharRange(from = 'a', to = 'c') String base,
            @ForAll @StringLength(max = 8) @CharRange(from = 'a', to = 'c') String value,
            @ForAll int seed,
            @ForAll boolean ci) {
        StringBuilder pattern = new StringBuilder();
        java.util.Random random = new java.util.Random(seed);
        for (char c : base.toCharArray()) {
            int r = random.nextInt(4);
            pattern.append(r == 0 ? '*' : r == 1 ? '?' : c);
        }
        String regex = pattern.toString()
                .chars()
                .mapToObj(
                        c -> c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf((char) c)))
                .reduce("", String::concat);
        String v = random.nextBoolean() ? value.toUpperCase() : value;
        boolean expected = java.util.regex.Pattern.compile(regex, ci ? java.util.regex.Pattern.CASE_INSENSITIVE : 0)
                .matcher(v)
                .matches();
        assertEquals(expected, WildcardPattern.compile(pattern.toString(), ci).matches(v), pattern + " on " + v);
    }
}
