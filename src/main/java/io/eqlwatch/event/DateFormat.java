package io.eqlwatch.event;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code format} of a {@code date} or {@code date_nanos} mapping: how Elasticsearch reads the field's text
 * into an instant. A format is a list of alternatives separated by {@code ||}, each a built-in name
 * ({@code strict_date_optional_time}, {@code epoch_millis}, {@code epoch_second}, {@code basic_date}, ...) or a
 * Java date pattern such as {@code dd-MM-yyyy}; the first alternative that reads the value wins. Without a zone
 * a value means UTC, and missing parts of the date or time are the start of the period, as in Elasticsearch.
 *
 * <p>Values that are numbers are epoch milliseconds whatever the format (Elasticsearch indexes JSON numbers in
 * a date field as epoch milliseconds unless the format is {@code epoch_second}).
 */
public final class DateFormat {

    /** Elasticsearch's default: {@code strict_date_optional_time||epoch_millis}. */
    public static final DateFormat DEFAULT = new DateFormat("strict_date_optional_time||epoch_millis");

    private final String text;
    private final List<Function<String, Optional<Instant>>> alternatives;
    private final boolean epochSeconds;

    private DateFormat(String text) {
        this.text = text;
        this.alternatives = new ArrayList<>();
        boolean seconds = false;
        for (String part : text.split("\\|\\|")) {
            String name = part.trim();
            if (name.equals("epoch_second")) {
                seconds = true;
            }
            alternatives.add(alternative(name));
        }
        this.epochSeconds = seconds && !text.contains("epoch_millis");
    }

    /** The format a mapping declares; {@link #DEFAULT} for {@code null} or blank. */
    public static DateFormat of(String mappingFormat) {
        if (mappingFormat == null || mappingFormat.isBlank() || mappingFormat.equals(DEFAULT.text)) {
            return DEFAULT;
        }
        return new DateFormat(mappingFormat);
    }

    /** The format as written in the mapping. */
    public String text() {
        return text;
    }

    /** The instant the value stands for, or empty when no alternative of the format reads it. */
    public Optional<Instant> parse(Object value) {
        if (value instanceof Number number) {
            BigDecimal n = new BigDecimal(number.toString());
            return TimestampParser.fromEpochMillis(epochSeconds ? n.movePointRight(3) : n);
        }
        if (!(value instanceof String s) || s.isBlank()) {
            return Optional.empty();
        }
        for (Function<String, Optional<Instant>> alternative : alternatives) {
            Optional<Instant> instant = alternative.apply(s.trim());
            if (instant.isPresent()) {
                return instant;
            }
        }
        return Optional.empty();
    }

    private static Function<String, Optional<Instant>> alternative(String name) {
        return switch (name) {
            case "strict_date_optional_time",
                    "date_optional_time",
                    "strict_date_optional_time_nanos",
                    "strict_date_time",
                    "date_time",
                    "strict_date_time_no_millis",
                    "date_time_no_millis",
                    "strict_date",
                    "date",
                    "strict_year_month_day",
                    "year_month_day",
                    "iso8601" -> s -> TimestampParser.isNumeric(s) ? Optional.empty() : TimestampParser.parse(s);
            case "epoch_millis" -> s -> TimestampParser.isNumeric(s)
                    ? TimestampParser.fromEpochMillis(new BigDecimal(s))
                    : Optional.empty();
            case "epoch_second" -> s -> TimestampParser.isNumeric(s)
                    ? TimestampParser.fromEpochMillis(new BigDecimal(s).movePointRight(3))
                    : Optional.empty();
            case "basic_date", "strict_basic_date" -> pattern("yyyyMMdd");
            case "basic_date_time", "strict_basic_date_time" -> pattern("yyyyMMdd'T'HHmmss.SSSXX");
            case "basic_date_time_no_millis", "strict_basic_date_time_no_millis" -> pattern("yyyyMMdd'T'HHmmssXX");
            default -> pattern(name);
        };
    }

    private static Function<String, Optional<Instant>> pattern(String pattern) {
        DateTimeFormatter formatter;
        try {
            formatter = new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern(pattern)
                    .toFormatter(Locale.ROOT);
        } catch (IllegalArgumentException unknownPattern) {
            // a named format this class does not know: read the value as the default format would
            return s -> DEFAULT.parse(s);
        }
        return s -> {
            try {
                return Optional.of(toInstant(formatter.parse(s)));
            } catch (DateTimeException | ArithmeticException e) {
                return Optional.empty();
            }
        };
    }

    /** A parsed value as an instant: missing month/day are the first, missing time is midnight, no zone is UTC. */
    private static Instant toInstant(TemporalAccessor parsed) {
        LocalDate date = parsed.query(TemporalQueries.localDate());
        if (date == null) {
            int year = parsed.isSupported(ChronoField.YEAR)
                    ? parsed.get(ChronoField.YEAR)
                    : parsed.isSupported(ChronoField.YEAR_OF_ERA) ? parsed.get(ChronoField.YEAR_OF_ERA) : 1970;
            int month = parsed.isSupported(ChronoField.MONTH_OF_YEAR) ? parsed.get(ChronoField.MONTH_OF_YEAR) : 1;
            int day = parsed.isSupported(ChronoField.DAY_OF_MONTH) ? parsed.get(ChronoField.DAY_OF_MONTH) : 1;
            date = LocalDate.of(year, month, day);
        }
        LocalTime time = parsed.query(TemporalQueries.localTime());
        if (time == null) {
            int hour = parsed.isSupported(ChronoField.HOUR_OF_DAY) ? parsed.get(ChronoField.HOUR_OF_DAY) : 0;
            int minute = parsed.isSupported(ChronoField.MINUTE_OF_HOUR) ? parsed.get(ChronoField.MINUTE_OF_HOUR) : 0;
            time = LocalTime.of(hour, minute);
        }
        ZoneId zone = parsed.query(TemporalQueries.zone());
        return date.atTime(time).atZone(zone == null ? ZoneOffset.UTC : zone).toInstant();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DateFormat other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
