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
        Instant utc = canonicalUtc(s);
        if (utc != null) {
            return Optional.of(utc);
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

    /**
     * The instant of {@code uuuu-MM-ddTHH:mm:ss[.f]Z} (1 to 9 fraction digits), read without the general
     * formatter: the form Elasticsearch gives sort values and most events their timestamp, so every hit is read
     * this way. Null for any other text, also for a value out of range, which the general formatter then judges.
     */
    static Instant canonicalUtc(String s) {
        int length = s.length();
        if (length < 20
                || s.charAt(length - 1) != 'Z'
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return null;
        }
        if (second < 0
                || second > 59
                || day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(s, 20, fraction);
            if (nanos < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The number the {@code count} characters at {@code from} spell in decimal; -1 when one is no digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
