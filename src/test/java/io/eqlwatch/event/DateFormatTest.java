package io.eqlwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mapping formats read as Elasticsearch reads them (its date-format docs; test_sample.toml's dd-MM-yyyy field). */
class DateFormatTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            textBlock =
                    """
            dd-MM-yyyy                                 ; 17-12-2022                     ; 2022-12-17T00:00:00Z
            yyyy-MM-dd                                 ; 2022-12-17                     ; 2022-12-17T00:00:00Z
            dd-MM-yyyy||yyyy-MM-dd                     ; 2022-12-17                     ; 2022-12-17T00:00:00Z
            yyyy-MM-dd HH:mm:ss                        ; 2022-12-17 10:30:00            ; 2022-12-17T10:30:00Z
            yyyy/MM/dd HH:mm:ss Z                      ; 2022/12/17 10:30:00 +0200      ; 2022-12-17T08:30:00Z
            epoch_second                               ; 1671235200                     ; 2022-12-17T00:00:00Z
            strict_date_optional_time||epoch_millis    ; 1671235200000                  ; 2022-12-17T00:00:00Z
            strict_date_optional_time_nanos            ; 2022-12-17T00:00:00.123456789Z ; 2022-12-17T00:00:00.123456789Z
            basic_date                                 ; 20221217                       ; 2022-12-17T00:00:00Z
            """)
    void readsTheMappingsFormat(String format, String text, String instant) {
        assertEquals(Optional.of(Instant.parse(instant)), DateFormat.of(format).parse(text));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            dd-MM-yyyy   | 2022-12-17
            yyyy-MM-dd   | 17-12-2022
            epoch_millis | yesterday
            """)
    void refusesTextTheFormatDoesNotRead(String format, String text) {
        assertEquals(Optional.empty(), DateFormat.of(format).parse(text));
    }

    @org.junit.jupiter.api.Test
    void numbersAreEpochMillisUnlessTheFormatIsEpochSecond() {
        assertEquals(
                Optional.of(Instant.parse("2022-12-17T00:00:00Z")),
                DateFormat.of("dd-MM-yyyy").parse(1671235200000L));
        assertEquals(
                Optional.of(Instant.parse("2022-12-17T00:00:00Z")),
                DateFormat.of("epoch_second").parse(1671235200L));
    }
}
