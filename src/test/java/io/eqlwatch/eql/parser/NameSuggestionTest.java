package io.eqlwatch.eql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The "did you mean" guess: the nearest known name within the limit, whatever else the list holds. */
class NameSuggestionTest {

    @Test
    void findsTheNearestNameAmongThousandsOfFieldsOfEveryLength() {
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            fields.add("winlog.event_data.Field" + i);
        }
        fields.add("process.name");
        fields.add("process.pid");
        fields.add("pid");
        assertEquals(Optional.of("process.pid"), NameSuggestion.closest("process.pdi", fields, 2));
        assertEquals(Optional.of("process.name"), NameSuggestion.closest("PROCESS.NMAE", fields, 2));
    }

    @Test
    void aNameLongerOrShorterByTheLimitIsStillFoundAndOneBeyondItIsNot() {
        List<String> known = List.of("abcdef");
        assertEquals(Optional.of("abcdef"), NameSuggestion.closest("abcd", known, 2), "two letters missing");
        assertEquals(Optional.of("abcdef"), NameSuggestion.closest("abcdefgh", known, 2), "two letters too many");
        assertEquals(Optional.empty(), NameSuggestion.closest("abc", known, 2), "three letters missing");
        assertEquals(Optional.empty(), NameSuggestion.closest("abcdefghi", known, 2), "three letters too many");
    }

    @Test
    void ofTwoNamesEquallyNearTheFirstListedWins() {
        assertEquals(Optional.of("host.ip"), NameSuggestion.closest("host.id", List.of("host.ip", "host.is"), 2));
        assertEquals(Optional.of("host.is"), NameSuggestion.closest("host.id", List.of("host.is", "host.ip"), 2));
    }
}
