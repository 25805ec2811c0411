package io.eqlwatch.eql.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny in-memory stand-in for Elasticsearch's evaluation of the query DSL the translator emits
 * (match_all/none, bool, term(s), range, wildcard, prefix, exists), over documents indexed with the
 * given mapped types. Used only to check the superset property without a cluster; the real check
 * against Elasticsearch is the integration test's job.
 */
public final class DslInterpreter {

    private final FieldTypes types;

    public DslInterpreter(FieldTypes types) {
        this.types = types;
    }

    public boolean matches(JsonNode query, Event event) {
        Iterator<Map.Entry<String, JsonNode>> it = query.fields();
        Map.Entry<String, JsonNode> clause = it.next();
        if (it.hasNext()) {
            throw new IllegalArgumentException("one query per object: " + query);
        }
        JsonNode body = clause.getValue();
        return switch (clause.getKey()) {
            case "match_all" -> true;
            case "match_none" -> false;
            case "bool" -> bool(body, event);
            case "exists" -> !indexed(body.get("field").asText(), event).isEmpty();
            case "term" -> term(body, event);
            case "terms" -> terms(body, event);
            case "range" -> range(body, event);
            case "wildcard" -> pattern(body, event, true);
            case "prefix" -> pattern(body, event, false);
            case "regexp" -> regexp(body, event);
            default -> throw new IllegalArgumentException("interpreter does not know " + clause.getKey());
        };
    }

    private boolean bool(JsonNode body, Event event) {
        for (JsonNode c : iterable(body.get("filter"))) {
            if (!matches(c, event)) {
                return false;
            }
        }
        for (JsonNode c : iterable(body.get("must_not"))) {
            if (matches(c, event)) {
                return false;
            }
        }
        JsonNode should = body.get("should");
        if (should == null || should.isEmpty()) {
            return true;
        }
        int needed = body.has("minimum_should_match")
                ? body.get("minimum_should_match").asInt()
                : 1;
        int hits = 0;
        for (JsonNode c : should) {
            if (matches(c, event)) {
                hits++;
            }
        }
        return hits >= needed;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node == null ? List.of() : node;
    }

    private boolean term(JsonNode body, Event event) {
        Map.Entry<String, JsonNode> entry = body.fields().next();
        String field = entry.getKey();
        boolean ci = entry.getValue().path("case_insensitive").asBoolean(false);
        JsonNode value = entry.getValue().get("value");
        return anyEquals(field, value, ci, event);
    }

    private boolean terms(JsonNode body, Event event) {
        Map.Entry<String, JsonNode> entry = body.fields().next();
        for (JsonNode value : entry.getValue()) {
            if (anyEquals(entry.getKey(), value, false, event)) {
                return true;
            }
        }
        return false;
    }

    private boolean anyEquals(String field, JsonNode value, boolean ci, Event event) {
        FieldType type = types.of(field);
        Object query = index(type, jsonValue(value));
        if (type == FieldType.IP && value.asText().contains("/")) {
            return indexed(field, event).stream().anyMatch(v -> inCidr((byte[]) v, value.asText()));
        }
        for (Object v : indexed(field, event)) {
            if (ci && v instanceof String s && query instanceof String q) {
                if (s.toLowerCase(Locale.ROOT).equals(q.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            } else if (same(v, query)) {
                return true;
            }
        }
        return false;
    }

    private boolean range(JsonNode body, Event event) {
        Map.Entry<String, JsonNode> entry = body.fields().next();
        FieldType type = types.of(entry.getKey());
        for (Object v : indexed(entry.getKey(), event)) {
            boolean all = true;
            Iterator<Map.Entry<String, JsonNode>> bounds = entry.getValue().fields();
            while (bounds.hasNext()) {
                Map.Entry<String, JsonNode> bound = bounds.next();
                if (bound.getKey().equals("format")) {
                    continue;
                }
                int c = compare(v, index(type, jsonValue(bound.getValue())));
                all &= switch (bound.getKey()) {
                    case "lt" -> c < 0;
                    case "lte" -> c <= 0;
                    case "gt" -> c > 0;
                    case "gte" -> c >= 0;
                    default -> throw new IllegalArgumentException(bound.getKey());
                };
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private boolean pattern(JsonNode body, Event event, boolean wildcard) {
        Map.Entry<String, JsonNode> entry = body.fields().next();
        boolean ci = entry.getValue().path("case_insensitive").asBoolean(false);
        String pattern = entry.getValue().get("value").asText();
        for (Object v : indexed(entry.getKey(), event)) {
            if (!(v instanceof String s)) {
                continue;
            }
            String text = ci ? s.toLowerCase(Locale.ROOT) : s;
            String p = ci ? pattern.toLowerCase(Locale.ROOT) : pattern;
            if (wildcard ? wildcardMatches(p, 0, text, 0) : text.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private boolean regexp(JsonNode body, Event event) {
        Map.Entry<String, JsonNode> entry = body.fields().next();
        java.util.regex.Pattern regex = io.eqlwatch.eql.eval.LuceneRegex.compile(
                entry.getValue().get("value").asText(),
                entry.getValue().path("case_insensitive").asBoolean(false));
        for (Object v : indexed(entry.getKey(), event)) {
            if (v instanceof String s && regex.matcher(s).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Lucene wildcard: {@code *}, {@code ?}, and {@code \} escaping the next character. */
    static boolean wildcardMatches(String p, int pi, String s, int si) {
        if (pi == p.length()) {
            return si == s.length();
        }
        char c = p.charAt(pi);
        if (c == '*') {
            for (int k = si; k <= s.length(); k++) {
                if (wildcardMatches(p, pi + 1, s, k)) {
                    return true;
                }
            }
            return false;
        }
        if (si == s.length()) {
            return false;
        }
        if (c == '?') {
            return wildcardMatches(p, pi + 1, s, si + 1);
        }
        if (c == '\\' && pi + 1 < p.length()) {
            return p.charAt(pi + 1) == s.charAt(si) && wildcardMatches(p, pi + 2, s, si + 1);
        }
        return c == s.charAt(si) && wildcardMatches(p, pi + 1, s, si + 1);
    }

    /** What Elasticsearch indexes for the field on this document, per its mapped type. */
    private List<Object> indexed(String field, Event event) {
        if (field.equals("_index")) {
            // The metadata field: the concrete index the document lives in, whatever the mappings say.
            return List.of(event.index());
        }
        FieldType type = types.of(field);
        List<Object> out = new ArrayList<>();
        for (Object raw : event.values(field)) {
            Object v = index(type, raw);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private static Object index(FieldType type, Object raw) {
        if (raw == null) {
            return null;
        }
        switch (type) {
            case KEYWORD -> {
                return raw instanceof Double d ? d.toString() : raw.toString();
            }
            case LONG, DOUBLE -> {
                try {
                    BigDecimal number = new BigDecimal(raw.toString());
                    return type == FieldType.LONG ? (Object) BigDecimal.valueOf(number.longValue()) : number;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            case IP -> {
                try {
                    return InetAddress.getByName(raw.toString()).getAddress();
                } catch (Exception e) {
                    return null;
                }
            }
            case BOOLEAN -> {
                return raw instanceof Boolean
                        ? raw
                        : "true".equals(raw) ? Boolean.TRUE : "false".equals(raw) ? Boolean.FALSE : null;
            }
            default -> {
                // dynamically mapped: the translator only ever asks these for exists
                return raw;
            }
        }
    }

    private static Object jsonValue(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        return node.asDouble();
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return a != null && a.equals(b);
    }

    private static int compare(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(pad(x), pad(y));
        }
        throw new IllegalArgumentException("cannot range-compare " + a + " and " + b);
    }

    private static byte[] pad(byte[] address) {
        if (address.length == 16) {
            return address;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address, 0, mapped, 12, 4);
        return mapped;
    }

    private static boolean inCidr(byte[] address, String cidr) {
        try {
            String[] parts = cidr.split("/");
            byte[] network = pad(InetAddress.getByName(parts[0]).getAddress());
            int bits = Integer.parseInt(parts[1]) + (parts[0].contains(":") ? 0 : 96);
            byte[] a = pad(address);
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
