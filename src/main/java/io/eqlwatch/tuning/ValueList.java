package io.eqlwatch.tuning;

import io.eqlwatch.eql.eval.Ip;
import io.eqlwatch.eql.eval.TypedValues;
import io.eqlwatch.event.FieldType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * A value list as Kibana's exception entries reference it ({@code is in list}): its id, its type,
 * and its values, with a membership test per type. Unlike Kibana, which skips lists of more than
 * 65,536 values in EQL rules, a list of any length applies: lookups are by hash or range tree.
 */
public final class ValueList {

    private final String id;
    private final ValueListType type;
    private final List<String> values;
    private final Set<String> keywords;
    private final IpRanges ranges;
    private final List<List<String>> phrases;
    /** The keyword values as each mapped type holds them, made on first use for that type. */
    private final Map<FieldType, Set<Object>> typedKeywords = new ConcurrentHashMap<>();

    private ValueList(String id, ValueListType type, List<String> values, IpRanges ranges) {
        this.id = Objects.requireNonNull(id, "id");
        this.type = Objects.requireNonNull(type, "type");
        this.values = List.copyOf(values);
        this.keywords = type == ValueListType.KEYWORD ? new HashSet<>(values) : Set.of();
        this.ranges = ranges;
        List<List<String>> words = new ArrayList<>();
        if (type == ValueListType.TEXT) {
            values.forEach(v -> words.add(TextPhrase.words(v)));
        }
        this.phrases = List.copyOf(words);
    }

    /**
     * A list from its lines: one value per line, surrounding blanks trimmed; empty lines and lines
     * starting with {@code #} are skipped. A line an {@code ip} or {@code ip_range} list cannot
     * hold is reported to {@code problems} with its 1-based line number and left out.
     */
    public static ValueList parse(
            String id, ValueListType type, List<String> lines, BiConsumer<Integer, String> problems) {
        Set<String> values = new LinkedHashSet<>();
        IpRanges ranges = new IpRanges();
        for (int i = 0; i < lines.size(); i++) {
            String value = lines.get(i).strip();
            if (value.isEmpty() || value.startsWith("#")) {
                continue;
            }
            if (type == ValueListType.IP || type == ValueListType.IP_RANGE) {
                if (type == ValueListType.IP && (value.contains("-") || value.contains("/"))) {
                    problems.accept(
                            i + 1,
                            "'" + value + "' is a range; a list of type ip holds single addresses"
                                    + " (use type ip_range for CIDRs and dash ranges)");
                    continue;
                }
                try {
                    ranges.add(value);
                } catch (IllegalArgumentException e) {
                    problems.accept(i + 1, e.getMessage());
                    continue;
                }
            }
            values.add(value);
        }
        return new ValueList(id, type, new ArrayList<>(values), ranges);
    }

    /** A list built in code (tests, imports); values an address list cannot hold are refused. */
    public static ValueList of(String id, ValueListType type, List<String> values) {
        List<String> bad = new ArrayList<>();
        ValueList list = parse(id, type, values, (line, message) -> bad.add(message));
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("value list " + id + ": " + bad.get(0));
        }
        return list;
    }

    public String id() {
        return id;
    }

    public ValueListType type() {
        return type;
    }

    /** The values as written, without duplicates, in file order. */
    public List<String> values() {
        return values;
    }

    public int size() {
        return values.size();
    }

    /** Whether one value of a field with the given mapped type is in the list. */
    public boolean contains(FieldType fieldType, Object value) {
        if (value == null) {
            return false;
        }
        return switch (type) {
            case IP, IP_RANGE -> {
                Ip ip = value instanceof Ip address ? address : Ip.parse(value.toString());
                yield ip != null && ranges.contains(ip);
            }
            case TEXT -> {
                String text = TypedValues.asString(TypedValues.normalize(FieldType.UNKNOWN, value));
                yield text != null && phrases.stream().anyMatch(p -> TextPhrase.contains(text, p));
            }
            case KEYWORD -> containsKeyword(fieldType, value);
        };
    }

    private boolean containsKeyword(FieldType fieldType, Object value) {
        if (fieldType == FieldType.KEYWORD || fieldType == FieldType.TEXT || fieldType == FieldType.UNKNOWN) {
            Object normal = TypedValues.normalize(FieldType.KEYWORD, value);
            return normal != null && keywords.contains(normal.toString());
        }
        Set<Object> typed = typedKeywords.computeIfAbsent(fieldType, t -> {
            Set<Object> out = new HashSet<>();
            for (String v : values) {
                Object normal = TypedValues.normalize(t, v);
                if (normal != null) {
                    out.add(normal);
                }
            }
            return out;
        });
        Object normal = TypedValues.normalize(fieldType, value);
        return normal != null && typed.contains(normal);
    }
}
