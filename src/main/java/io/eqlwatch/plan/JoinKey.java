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

    public static final JoinKey NONE = new JoinKey(List.of());

    public JoinKey {
        List<Object> normalised = new ArrayList<>(values.size());
        for (Object value : values) {
            normalised.add(normalise(value));
        }
        values = Collections.unmodifiableList(normalised);
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
