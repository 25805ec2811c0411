package io.eqlwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampParserTest {

    @ParameterizedTest
    @CsvSource({
        "2024-05-01T10:00:00Z,                2024-05-01T10:00:00Z",
        "2024-05-01T10:00:00.5Z,              2024-05-01T10:00:00.500Z",
        "2024-05-01T10:00:00.123Z,            2024-05-01T10:00:00.123Z",
        "2022-04-04T18:37:01.5775771Z,        2022-04-04T18:37:01.577577100Z",
        "2024-05-01T10:00:00.123456789Z,      2024-05-01T10:00:00.123456789Z",
        "2024-05-01T12:00:00+02:00,           2024-05-01T10:00:00Z",
        "2024-05-01T12:00:00.250+0200,        2024-05-01T10:00:00.250Z",
        "2024-05-01T10:00:00,                 2024-05-01T10:00:00Z",
        "2024-05-01T10:00,                    2024-05-01T10:00:00Z",
        "2024-05-01,                          2024-05-01T00:00:00Z",
        "1714557600000,                       2024-05-01T10:00:00Z",
        "1714557600000.5,                     2024-05-01T10:00:00.000500Z",
        "-1000,                               1969-12-31T23:59:59Z",
        "' 2024-05-01T10:00:00Z ',            2024-05-01T10:00:00Z",
    })
    void parsesStrings(String text, String expected) {
        assertEquals(Optional.of(Instant.parse(expected)), TimestampParser.parse(text));
    }

    @Test
    void theCanonicalUtcFormIsReadAsTheGeneralFormatterReadsIt() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(
                    random.nextLong(-62_000_000_000L, 253_000_000_000L), random.nextInt(1_000_000_000));
            int digits = random.nextInt(10);
            String text = java.time.format.DateTimeFormatter.ofPattern(
                            "uuuu-MM-dd'T'HH:mm:ss" + (digits == 0 ? "" : "." + "S".repeat(digits)) + "'Z'")
                    .withZone(java.time.ZoneOffset.UTC)
                    .format(at);
            assertEquals(Instant.parse(text), TimestampParser.canonicalUtc(text), text);
            assertEquals(Optional.of(Instant.parse(text)), TimestampParser.parse(text), text);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2023-02-29T10:00:00Z",
                "2024-04-31T10:00:00Z",
                "2024-05-01T24:00:00Z",
                "2024-05-01T10:60:00Z",
                "2024-05-01T10:00:60Z",
                "2024-13-01T10:00:00Z",
                "2024-00-01T10:00:00Z",
                "2024-05-00T10:00:00Z",
                "2024-05-01T10:00:00.Z",
                "2024-05-01T10:00:00.1234567890Z",
                "2024-05-01T10:00:00,5Z",
                "2024-05-01T10:00:0aZ",
                "2024-05-01 10:00:00Z",
                "+10000-01-01T00:00:00Z",
                "2024-05-01T10:00:00+00:00"
            })
    void anythingElseIsLeftToTheGeneralFormatter(String text) {
        assertEquals(null, TimestampParser.canonicalUtc(text), text);
    }

    @Test
    void parsesNumbersAsEpochMillis() {
        assertEquals(Optional.of(Instant.parse("2024-05-01T10:00:00Z")), TimestampParser.parse(1714557600000L));
        assertEquals(Optional.of(Instant.parse("1970-01-01T00:00:01Z")), TimestampParser.parse(1000));
        assertEquals(Optional.of(Instant.parse("1970-01-01T00:00:00.001500Z")), TimestampParser.parse(1.5d));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "  ",
                "yesterday",
                "2024-13-01T00:00:00Z",
                "2024-05-01T25:00:00Z",
                "12:00",
                "1.2.3",
                "-",
                "2024-05-01T10:00:00Zjunk"
            })
    void rejectsNonTimestamps(String text) {
        assertEquals(Optional.empty(), TimestampParser.parse(text));
    }

    @Test
    void rejectsNullAndOtherTypes() {
        assertEquals(Optional.empty(), TimestampParser.parse(null));
        assertEquals(Optional.empty(), TimestampParser.parse(true));
        assertEquals(Optional.empty(), TimestampParser.parse(java.util.List.of("2024-05-01T10:00:00Z")));
    }
}
