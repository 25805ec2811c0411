package io.eqlwatch.plan;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The values of a sequence's join keys for one event, in key order (sequence {@code by} keys first,
 * then the stage's). Numbers are normalised so that an {@code int} 4 and a {@code long} 4 join.
 * A {@code null} element is an absent optional key.
 */
public record JoinKey(List<Object> values) {

    /** The class of {@code List.of(x)}: immutable, so a key may keep it as its values. */
    private static final Class<?> ONE_VALUE = List.of(1).getClass();

    public static final JoinKey NONE = new JoinKey(List.of());

    public JoinKey {
        values = normalised(values);
    }

    private static List<Object> normalised(List<Object> values) {
        if (values.size() == 1 && values.getClass() == ONE_VALUE && normalise(values.get(0)) == values.get(0)) {
            // The common single, already normal value in a list that cannot change: kept as given.
            return values;
        }
        List<Object> normalised = new ArrayList<>(values.size());
        for (Object value : values) {
            normalised.add(normalise(value));
        }
        return Collections.unmodifiableList(normalised);
    }

    public static Object normalise(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigDecimal big) {
            try {
                return big.longValueExact();
            } catch (ArithmeticException notAnInteger) {
                return big.doubleValue();
            }
        }
        return value;
    }
}
