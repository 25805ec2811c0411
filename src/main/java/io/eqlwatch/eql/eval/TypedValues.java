package io.eqlwatch.eql.eval;

import io.eqlwatch.event.DateFormat;
import io.eqlwatch.event.FieldType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;

/**
 * How a value compares once Elasticsearch has indexed it into a field of a given mapped type: a
 * {@code long} field holding {@code "4"} holds 4, an {@code ip} field holding
 * {@code 0:0:0:0:0:0:0:1} holds {@code ::1}, a {@code keyword} field holding 4 holds {@code "4"}.
 * Without a mapping ({@link FieldType#UNKNOWN}) values keep their JSON type and compare loosely.
 *
 * <p>Normalised forms: keyword/text {@code String}; long {@code Long}; double {@code Double}; ip
 * {@link Ip}; date {@code Long} epoch milliseconds; date_nanos {@code Long} epoch nanoseconds; boolean {@code Boolean}; unknown one of
 * {@code String}, {@code Long}, {@code Double}, {@code Boolean}.
 */
public final class TypedValues {

    private TypedValues() {}

    /** The value as the field's type holds it, or {@code null} when the type cannot hold it. */
    public static Object normalize(FieldType type, Object raw) {
        return normalize(type, raw, DateFormat.DEFAULT);
    }

    /** As {@link #normalize(FieldType, Object)}, reading a date field's text in the mapping's format. */
    public static Object normalize(FieldType type, Object raw, DateFormat format) {
        // The values most fields hold already in their type's form, answered before the interface tests below,
        // which are slow for a class that implements neither (every condition leaf asks, for every value)
        if (raw instanceof String s && (type == FieldType.KEYWORD || type == FieldType.TEXT)) {
            return s;
        }
        if (raw instanceof Long l && type == FieldType.LONG) {
            return l;
        }
        if (raw == null || raw instanceof java.util.Map || raw instanceof java.util.List) {
            return null;
        }
        return switch (type) {
            case KEYWORD, TEXT -> raw instanceof String s ? s : asString(plain(raw));
            case LONG -> toLong(raw);
            case DOUBLE -> toDouble(raw);
            case IP -> raw instanceof Ip ip ? ip : Ip.parse(raw.toString());
            case DATE -> format.parse(raw).map(Instant::toEpochMilli).orElse(null);
            case DATE_NANOS -> format.parse(raw).map(TypedValues::epochNanos).orElse(null);
            case BOOLEAN -> toBoolean(raw);
            case OBJECT -> null;
            case UNKNOWN -> plain(raw);
        };
    }

    /** JSON scalars in their canonical Java classes: Long, Double, String, Boolean. */
    static Object plain(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Long || raw instanceof Double || raw instanceof String || raw instanceof Boolean) {
            return raw;
        }
        if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Float f) {
            return f.doubleValue();
        }
        if (raw instanceof BigInteger bi) {
            return bi.bitLength() < 64 ? (Object) bi.longValue() : (Object) bi.doubleValue();
        }
        if (raw instanceof BigDecimal bd) {
            return bd.doubleValue();
        }
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        return raw.toString();
    }

    /** The text form of a normalised value, as a keyword field or {@code string()} would show it. */
    public static String asString(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            // JSON 4.0 indexed into a keyword is "4.0"; Java prints it the same way
            return d.toString();
        }
        return value.toString();
    }

    private static Long toLong(Object raw) {
        if (raw instanceof Number n) {
            Object p = plain(n);
            return p instanceof Long l ? l : (long) ((Double) p).doubleValue();
        }
        if (raw instanceof String s) {
            String t = s.trim();
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(t);
                    return Double.isFinite(d) ? (long) d : null;
                } catch (NumberFormatException e2) {
                    return null;
                }
            }
        }
        return null;
    }

    private static Double toDouble(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Boolean toBoolean(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if ("true".equals(raw)) {
            return true;
        }
        if ("false".equals(raw) || "".equals(raw)) {
            return false;
        }
        return null;
    }

    /** Epoch milliseconds of a date as Elasticsearch's default format reads it (ISO-8601 or epoch millis). */
    public static Long toEpochMillis(Object raw) {
        return DateFormat.DEFAULT.parse(raw).map(Instant::toEpochMilli).orElse(null);
    }

    /** Nanoseconds since the epoch, the form a {@code date_nanos} value compares in (to the year 2262, as there). */
    static Long epochNanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (ArithmeticException outOfRange) {
            return null;
        }
    }

    /**
     * Compares two normalised values, numbers numerically whatever their class, and for untyped
     * values a number with numeric text. {@code null} when they do not compare (a string and a
     * boolean, text that is not a number against a number): such a comparison never matches.
     */
    public static Integer compare(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return compareNumbers(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        if (a instanceof Ip x && b instanceof Ip y) {
            return x.compareTo(y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return x.compareTo(y);
        }
        if (a instanceof Number x && b instanceof String y) {
            Number parsed = parseNumber(y);
            return parsed == null ? null : compareNumbers(x, parsed);
        }
        if (a instanceof String x && b instanceof Number y) {
            Number parsed = parseNumber(x);
            return parsed == null ? null : compareNumbers(parsed, y);
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return asString(a).compareTo(asString(b));
        }
        if (a instanceof Ip || b instanceof Ip) {
            Ip x = a instanceof Ip ip ? ip : Ip.parse(a.toString());
            Ip y = b instanceof Ip ip ? ip : Ip.parse(b.toString());
            return x == null || y == null ? null : x.compareTo(y);
        }
        return null;
    }

    /** Equality under {@link #compare}, plus: two texts that spell the same IP address are equal. */
    public static boolean equal(Object a, Object b) {
        Integer c = compare(a, b);
        if (c != null && c == 0) {
            return true;
        }
        if (a instanceof String x && b instanceof String y && (x.indexOf(':') >= 0 || y.indexOf(':') >= 0)) {
            Ip ix = Ip.parse(x);
            return ix != null && ix.equals(Ip.parse(y));
        }
        return false;
    }

    static int compareNumbers(Number x, Number y) {
        if (x instanceof Long a && y instanceof Long b) {
            return Long.compare(a, b);
        }
        return Double.compare(x.doubleValue(), y.doubleValue());
    }

    static Number parseNumber(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(t);
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e2) {
                return null;
            }
        }
    }
}
