package io.eqlwatch.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.eql.eval.FieldReader;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.event.MappedField;
import io.eqlwatch.event.SlotLayout;
import io.eqlwatch.event.SlottedSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Decoding a hit straight into slots reads every field exactly as the map path does: for random documents
 * (nesting, dotted keys, the same path reached several ways, arrays of values, of arrays and of objects, explicit
 * nulls, objects where a value is expected) and random fields with mapping {@code null_value}s and aliases,
 * {@link FieldReader} gives the same values, in the same order (as a list and one by one), from the slotted event as from the event whose
 * source is the generic JSON mapping of the same response.
 */
class SlotDecoderPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keys that compose the fields below in several ways, plus ones no field can be reached by. */
    private static final String[] KEYS = {"a", "b", "c", "a.b", "b.c", "a.b.c", "c.a", "x", "a.", ""};

    private static final String[] FIELDS = {"a", "b", "c", "a.b", "a.c", "b.c", "a.b.c", "c.a", "c.a.b", "b.a", "a.a"};

    /** A document and the mapping of the fields a rule reads from it. */
    record Case(Map<String, Object> document, List<String> fields, FieldTypes types) {}

    @Property(tries = 2000)
    void slotsReadWhatTheMapsRead(@ForAll("cases") Case c) throws IOException {
        String body = response(JSON.writeValueAsString(c.document()));
        Set<String> sourceFields = new LinkedHashSet<>();
        for (String field : c.fields()) {
            sourceFields.add(field);
            sourceFields.add(c.types().sourcePath(field));
        }
        SlotLayout layout = SlotLayout.of(sourceFields);
        Event asMaps = event(SearchPage.parse(stream(body)));
        Event asSlots = event(SearchPage.parse(stream(body), layout));
        assertInstanceOf(SlottedSource.class, asSlots.source());
        Event fromMaps = new Event("1", "i", Instant.EPOCH, null, SlotDecoder.of(layout, asMaps.source()));

        for (String field : c.fields()) {
            FieldReader reader = FieldReader.of(field, c.types());
            List<Object> expected = reader.raw(asMaps);
            assertEquals(expected, reader.raw(asSlots), () -> field + " in " + body + " with " + c.types());
            assertEquals(expected, reader.raw(fromMaps), () -> field + " (slots of the maps) in " + body);
            assertEquals(expected, oneByOne(reader, asSlots), () -> field + " (one by one) in " + body);
        }
        for (String path : sourceFields) {
            assertEquals(asMaps.values(path), asSlots.values(path), () -> path + " in " + body);
        }
    }

    /** The values as the conditions read a slotted event's: from the slot {@link FieldReader#slotIn} picks. */
    private static List<Object> oneByOne(FieldReader reader, Event event) {
        SlottedSource slotted = event.slots();
        int slot = reader.slotIn(slotted);
        if (slot < 0) {
            throw new AssertionError("the layout holds every field and alias target, yet no slot was found");
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < slotted.count(slot); i++) {
            Object value = reader.storedAt(slotted, slot, i);
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.randomValue(random -> {
            Map<String, Object> document = object(random, 0);
            List<String> fields = new ArrayList<>();
            int count = 1 + random.nextInt(5);
            for (int i = 0; i < count; i++) {
                String field = FIELDS[random.nextInt(FIELDS.length)];
                if (!fields.contains(field)) {
                    fields.add(field);
                }
            }
            Map<String, FieldType> byField = new HashMap<>();
            Map<String, MappedField> details = new HashMap<>();
            for (String field : fields) {
                byField.put(field, FieldType.KEYWORD);
                if (random.nextInt(3) == 0) {
                    details.put(field, new MappedField(null, random.nextBoolean() ? "NULL" : 0, null));
                }
            }
            if (fields.size() > 1 && random.nextBoolean()) {
                // The first field is an alias of another path, which may or may not be a field read as well.
                String target = FIELDS[random.nextInt(FIELDS.length)];
                if (!target.equals(fields.get(0))) {
                    MappedField own = details.remove(fields.get(0));
                    details.put(fields.get(0), new MappedField(target, null, null));
                    if (own != null && !details.containsKey(target)) {
                        details.put(target, own);
                    }
                }
            }
            return new Case(document, fields, new FieldTypes(byField, details, true));
        });
    }

    private static Map<String, Object> object(Random random, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        int keys = random.nextInt(depth == 0 ? 6 : 4);
        for (int i = 0; i < keys; i++) {
            object.put(KEYS[random.nextInt(KEYS.length)], value(random, depth + 1));
        }
        return object;
    }

    private static Object value(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 7 : 10);
        return switch (kind) {
            case 0 -> null;
            case 1 -> "s" + random.nextInt(3);
            case 2 -> random.nextInt(5);
            case 3 -> 10_000_000_000L + random.nextInt(3);
            case 4 -> new BigInteger("123456789012345678901234567890");
            case 5 -> random.nextInt(4) / 2.0;
            case 6 -> random.nextBoolean();
            case 7, 8 -> object(random, depth);
            default -> {
                List<Object> array = new ArrayList<>();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.add(value(random, depth + 1));
                }
                yield array;
            }
        };
    }

    private static Event event(SearchPage page) {
        SearchPage.Hit hit = page.hits().get(0);
        return new Event(hit.id(), hit.index(), Instant.EPOCH, null, hit.source());
    }

    private static String response(String source) {
        return "{\"hits\":{\"hits\":[{\"_index\":\"i\",\"_id\":\"1\",\"_source\":" + source + ",\"sort\":[1]}]}}";
    }

    private static ByteArrayInputStream stream(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }
}
