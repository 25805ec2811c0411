package io.eqlwatch.plan;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The values of a sequence's join keys for one event, in key order (sequence {@code by} keys first,
 * then the stage's). Numbers are normalised so that an {@code int} 4 and a {@code long} 4 join.
 * A {@code null} element is an absent optional key. Immutable.
 *
 * <p>A class, not a record: the matcher looks a key up in a hash map for every event some stage accepts, and a
 * record's generated {@code hashCode} and {@code equals} go through method handles to a list's, which walk it
 * with an iterator each time. This one hashes its array once and compares arrays.
 */
public final class JoinKey {

    public static final JoinKey NONE = new JoinKey(new Object[0]);

    private final Object[] values;
    private final int hash;

    public JoinKey(List<Object> values) {
        this(values.toArray());
    }

    /** Takes {@code values} as its own (normalising them in place): the caller must not keep it. */
    private JoinKey(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = normalise(values[i]);
        }
        this.values = values;
        this.hash = Arrays.hashCode(values);
    }

    /** A key of these values, taking the array as its own: the caller must not change it afterwards. */
    public static JoinKey ofOwned(Object... values) {
        return new JoinKey(values);
    }

    /** The values in key order, as an unmodifiable list. */
    public List<Object> values() {
        return Collections.unmodifiableList(Arrays.asList(values));
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

    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof JoinKey key && key.hash == hash && Arrays.equals(key.values, values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "JoinKey" + Arrays.toString(values);
    }
}
