package io.eqlwatch.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JoinKeyTest {

    @Test
    void numbersOfDifferentJavaTypesMakeOneKey() {
        JoinKey fromInt = JoinKey.ofOwned("host-1", 4);
        JoinKey fromLong = new JoinKey(List.of("host-1", 4L));
        JoinKey fromDecimal = new JoinKey(List.of("host-1", new BigDecimal("4")));

        assertEquals(fromLong, fromInt);
        assertEquals(fromLong, fromDecimal);
        assertEquals(fromLong.hashCode(), fromInt.hashCode());
        assertEquals(List.of("host-1", 4L), fromInt.values());
    }

    @Test
    void keysDifferingInAnyValueOrInOrderDiffer() {
        JoinKey key = JoinKey.ofOwned("a", "b");

        assertNotEquals(key, JoinKey.ofOwned("a", "c"));
        assertNotEquals(key, JoinKey.ofOwned("b", "a"));
        assertNotEquals(key, JoinKey.ofOwned("a"));
        assertNotEquals(JoinKey.NONE, key);
    }

    @Test
    void anAbsentOptionalKeyIsANullValueThatJoinsWithItself() {
        assertEquals(new JoinKey(Arrays.asList("h", null)), JoinKey.ofOwned("h", null));
        assertNotEquals(JoinKey.ofOwned("h", null), JoinKey.ofOwned("h", "null"));
    }

    @Test
    void aKeyFindsItsStateInAHashMapWhateverListItWasMadeFrom() {
        Map<JoinKey, String> states = new HashMap<>();
        states.put(new JoinKey(new java.util.ArrayList<>(List.of("h", 7))), "open");

        assertEquals("open", states.get(JoinKey.ofOwned("h", 7L)));
    }

    @Test
    void valuesCannotBeChanged() {
        JoinKey key = JoinKey.ofOwned("h");

        assertThrows(UnsupportedOperationException.class, () -> key.values().set(0, "x"));
    }
}
