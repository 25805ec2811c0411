package io.eqlwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaseFoldingTest {

    private static Set<String> variants(CaseFolding folding, String character) {
        return Arrays.stream(folding.variants(character.codePointAt(0)))
                .mapToObj(Character::toString)
                .collect(Collectors.toSet());
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "ASCII;a;a A",
                "ASCII;Z;Z z",
                "ASCII;k;k K",
                "ASCII;\u00e9;\u00e9",
                "ASCII;7;7",
                "ASCII;-;-",
                "UNICODE;a;a A",
                "UNICODE;k;k K \u212a",
                "UNICODE;\u212a;\u212a k K",
                "UNICODE;s;s S \u017f",
                "UNICODE;\u00e9;\u00e9 \u00c9",
                "UNICODE;\u03c3;\u03c3 \u03a3 \u03c2",
                "UNICODE;\u1e9e;\u1e9e \u00df",
                "UNICODE;7;7"
            })
    void aCharacterStandsForItsVariants(CaseFolding folding, String character, String expected) {
        assertEquals(Set.of(expected.split(" ")), variants(folding, character));
        assertEquals(character.codePointAt(0), folding.variants(character.codePointAt(0))[0], "itself first");
    }

    @ParameterizedTest(name = "{0}: {1} vs {2} -> {3}")
    @CsvSource(
            delimiter = ';',
            value = {
                "ASCII;cmd.EXE;CMD.exe;true",
                "ASCII;caf\u00e9;CAF\u00c9;false",
                "ASCII;caf\u00e9;CAF\u00e9;true",
                "ASCII;@[;`{;false",
                "ASCII;k;\u212a;false",
                "UNICODE;caf\u00e9;CAF\u00c9;true",
                "UNICODE;k;\u212a;true",
                "UNICODE;\u03c3\u03c2;\u03a3\u03a3;true",
                "UNICODE;ab;abc;false"
            })
    void valuesMatchAsTheFoldingSays(CaseFolding folding, String a, String b, boolean expected) {
        assertEquals(expected, a.length() == b.length() && folding.regionMatches(a, 0, b, 0, b.length()));
        assertEquals(expected, folding.fold(a).equals(folding.fold(b)));
    }

    @org.junit.jupiter.api.Test
    void regionsOutsideTheValueNeverMatch() {
        assertEquals(false, CaseFolding.ASCII.regionMatches("abc", 2, "CD", 0, 2));
        assertEquals(false, CaseFolding.ASCII.regionMatches("abc", -1, "A", 0, 1));
        assertEquals(true, CaseFolding.ASCII.regionMatches("abc", 1, "BC", 0, 2));
    }
}
