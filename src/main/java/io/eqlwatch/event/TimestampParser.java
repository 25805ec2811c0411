package io.eqlwatch.event;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Optional;

/**
 * Reads an event timestamp the way Elasticsearch's default date format
 * ({@code strict_date_optional_time||epoch_millis}) accepts it: ISO-8601 with any fraction precision (up to
 * nanoseconds), with {@code Z}, an offset, or no zone (meaning UTC), or a bare date; or epoch milliseconds as
 * a number or a numeric string (fractions give sub-millisecond precision).
 */
public final class TimestampParser {

    private static final DateTimeFormatter OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .optionalStart()
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart()
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .optionalEnd()
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .toFormatter();

    private TimestampParser() {}

    /** The instant, or empty when {@code value} is null or not a timestamp. */
    public static Optional<Instant> parse(Object value) {
        if (value instanceof Number number) {
            return fromEpochMillis(new BigDecimal(number.toString()));
        }
        if (!(value instanceof String text)) {
            return Optional.empty();
        }
        String s = text.trim();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (isNumeric(s)) {
            return fromEpochMillis(new BigDecimal(s));
        }
        try {
            if (s.indexOf('T') < 0) {
                return Optional.of(LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            var parsed = OFFSET.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime odt) {
                return Optional.of(odt.toInstant());
            }
            return Optional.of(((LocalDateTime) parsed).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    static boolean isNumeric(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        boolean digit = false;
        boolean dot = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return false;
            }
        }
        return digit;
    }

    static Optional<Instant> fromEpochMillis(BigDecimal millis) {
        try {
            BigDecimal nanos = millis.movePointRight(6);
            BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
            long seconds = secondsAndNanos[0].longValueExact();
            long nano = secondsAndNanos[1].longValue();
            return Optional.of(Instant.ofEpochSecond(seconds, nano));
        } catch (ArithmeticException | DateTimeException e) {
            return Optional.empty();
        }
    }
}
