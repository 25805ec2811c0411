package io.eqlwatch.tuning;

import io.eqlwatch.eql.eval.FieldReader;
import io.eqlwatch.eql.eval.Ip;
import io.eqlwatch.eql.eval.TypedValues;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides in memory whether an event is excepted, with the results Elasticsearch gives the filter
 * {@link ExceptionQuery} sends: an item holds when all its entries hold, the event is excepted
 * when any unexpired item holds. Values compare as the field's mapped type compares them:
 * {@code keyword} exactly and case-sensitively, {@code ip} as addresses (a CIDR value matches
 * the addresses in its block), numbers and dates by value, {@code text} as a phrase.
 *
 * <p>Compiled once per rule execution against the mappings; thread-safe.
 */
public final class ExceptionMatcher {

    private static final ExceptionMatcher NONE = new ExceptionMatcher(List.of(), List.of());

    private final List<Predicate<Event>> items;
    private final List<String> names;

    private ExceptionMatcher(List<Predicate<Event>> items, List<String> names) {
        this.items = List.copyOf(items);
        this.names = List.copyOf(names);
    }

    /** The matcher of the items that have not expired by {@code now}. */
    public static ExceptionMatcher of(List<ExceptionItem> items, FieldTypes types, Instant now) {
        List<Predicate<Event>> compiled = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ExceptionItem item : items) {
            if (!item.expiredAt(now)) {
                compiled.add(all(item.entries(), types));
                names.add(item.name());
            }
        }
        return compiled.isEmpty() ? NONE : new ExceptionMatcher(compiled, names);
    }

    public static ExceptionMatcher none() {
        return NONE;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public boolean excepts(Event event) {
        return itemFor(event) != null;
    }

    /** The name of the first item that excepts the event, or {@code null} when none does. */
    public String itemFor(Event event) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).test(event)) {
                return names.get(i);
            }
        }
        return null;
    }

    private static Predicate<Event> all(List<ExceptionEntry> entries, FieldTypes types) {
        List<Predicate<Event>> parts = new ArrayList<>();
        for (ExceptionEntry entry : entries) {
            parts.add(entry(entry, types));
        }
        return event -> {
            for (Predicate<Event> part : parts) {
                if (!part.test(event)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Predicate<Event> entry(ExceptionEntry entry, FieldTypes types) {
        String field = entry.field();
        if (entry instanceof ExceptionEntry.Nested nested) {
            // Each object of the nested field is tried on its own, as a nested query does; the inner
            // fields are then relative to the object.
            Predicate<Event> inner = all(nested.entries(), prefixed(types, field));
            return event -> {
                for (Object object : event.values(field)) {
                    if (object instanceof Map<?, ?> map && inner.test(asEvent(map))) {
                        return true;
                    }
                }
                return false;
            };
        }
        FieldType type = types.of(field);
        // As Elasticsearch reads the field for the exception's query: an alias reads its target, an
        // explicit null the mapping's null_value.
        FieldReader local = FieldReader.of(field, types);
        Predicate<Event> condition;
        Operator operator;
        if (entry instanceof ExceptionEntry.Match match) {
            condition = anyValue(local, equalTo(type, match.value()));
            operator = match.operator();
        } else if (entry instanceof ExceptionEntry.MatchAny any) {
            List<Predicate<Object>> options =
                    any.values().stream().map(v -> equalTo(type, v)).toList();
            condition = anyValue(local, value -> options.stream().anyMatch(o -> o.test(value)));
            operator = any.operator();
        } else if (entry instanceof ExceptionEntry.Exists exists) {
            condition = event -> !local.raw(event).isEmpty();
            operator = exists.operator();
        } else if (entry instanceof ExceptionEntry.Wildcard wildcard) {
            EsWildcard pattern = EsWildcard.compile(wildcard.value());
            condition = anyValue(local, value -> {
                Object text = TypedValues.normalize(FieldType.KEYWORD, value);
                return text != null && pattern.matches(text.toString());
            });
            operator = wildcard.operator();
        } else {
            ExceptionEntry.InList in = (ExceptionEntry.InList) entry;
            condition = anyValue(local, value -> in.list().contains(type, value));
            operator = in.operator();
        }
        // "is not" is the negation of "is": a missing field satisfies it, as must_not does.
        return operator == Operator.EXCLUDED ? condition.negate() : condition;
    }

    private static Predicate<Event> anyValue(FieldReader field, Predicate<Object> test) {
        return event -> {
            for (Object value : field.raw(event)) {
                if (test.test(value)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** {@code match_phrase} of {@code expected} on a field of the given type, as a test on one value. */
    static Predicate<Object> equalTo(FieldType type, String expected) {
        switch (type) {
            case KEYWORD:
                return value -> expected.equals(TypedValues.normalize(FieldType.KEYWORD, value));
            case TEXT: {
                List<String> phrase = TextPhrase.words(expected);
                return value -> {
                    Object text = TypedValues.normalize(FieldType.TEXT, value);
                    return text != null && TextPhrase.contains(text.toString(), phrase);
                };
            }
            case IP: {
                IpRanges block = new IpRanges();
                try {
                    block.add(expected);
                } catch (IllegalArgumentException e) {
                    // Elasticsearch refuses such a query on an ip field; in memory nothing matches.
                    return value -> false;
                }
                return value -> {
                    Object ip = TypedValues.normalize(FieldType.IP, value);
                    return ip instanceof Ip address && block.contains(address);
                };
            }
            default: {
                Object want = TypedValues.normalize(type, expected);
                if (want == null) {
                    return value -> false;
                }
                return value -> {
                    Object have = TypedValues.normalize(type, value);
                    return have != null && TypedValues.equal(have, want);
                };
            }
        }
    }

    private static Event asEvent(Map<?, ?> object) {
        @SuppressWarnings("unchecked")
        Map<String, Object> source = (Map<String, Object>) object;
        return new Event(null, null, Instant.EPOCH, null, source);
    }

    /** The mapped types of the fields below {@code parent}, keyed relative to it. */
    private static FieldTypes prefixed(FieldTypes types, String parent) {
        String start = parent + ".";
        Map<String, FieldType> inner = new java.util.HashMap<>();
        types.byField().forEach((name, type) -> {
            if (name.startsWith(start)) {
                inner.put(name.substring(start.length()), type);
            }
        });
        return new FieldTypes(inner);
    }
}
