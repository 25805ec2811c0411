package io.eqlwatch.eql.eval;

import io.eqlwatch.eql.ast.ArithmeticOperator;
import io.eqlwatch.eql.ast.EqlFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The EQL functions, with the results the Elasticsearch function reference documents, including
 * its null handling: a null argument gives a null result unless the reference says otherwise.
 */
final class Functions {

    private Functions() {}

    /**
     * Compiles a call. {@code constants[i]} is the folded value of argument i when it has no field
     * (so CIDR blocks are parsed once), or {@link Compiler#NOT_CONSTANT}.
     */
    static Scalar compile(EqlFunction function, boolean ci, List<Scalar> args, Object[] constants) {
        Scalar a0 = args.get(0);
        Scalar a1 = args.size() > 1 ? args.get(1) : null;
        Scalar a2 = args.size() > 2 ? args.get(2) : null;
        Scalar a3 = args.size() > 3 ? args.get(3) : null;
        return switch (function) {
            case ADD -> e -> Arithmetic.apply(ArithmeticOperator.ADD, a0.eval(e), a1.eval(e));
            case SUBTRACT -> e -> Arithmetic.apply(ArithmeticOperator.SUBTRACT, a0.eval(e), a1.eval(e));
            case MULTIPLY -> e -> Arithmetic.apply(ArithmeticOperator.MULTIPLY, a0.eval(e), a1.eval(e));
            case DIVIDE -> e -> Arithmetic.apply(ArithmeticOperator.DIVIDE, a0.eval(e), a1.eval(e));
            case MODULO -> e -> Arithmetic.apply(ArithmeticOperator.MODULO, a0.eval(e), a1.eval(e));
            case BETWEEN -> e -> between(
                    text(a0.eval(e)), text(a1.eval(e)), text(a2.eval(e)), a3 == null ? Boolean.FALSE : a3.eval(e), ci);
            case CIDR_MATCH -> cidrMatch(args, constants);
            case CONCAT -> e -> {
                StringBuilder out = new StringBuilder();
                for (Scalar arg : args) {
                    String s = text(arg.eval(e));
                    if (s == null) {
                        return null;
                    }
                    out.append(s);
                }
                return out.toString();
            };
            case ENDS_WITH -> e -> {
                String s = text(a0.eval(e));
                String suffix = text(a1.eval(e));
                if (s == null || suffix == null) {
                    return null;
                }
                return s.length() >= suffix.length()
                        && s.regionMatches(ci, s.length() - suffix.length(), suffix, 0, suffix.length());
            };
            case STARTS_WITH -> e -> {
                String s = text(a0.eval(e));
                String prefix = text(a1.eval(e));
                if (s == null || prefix == null) {
                    return null;
                }
                return s.regionMatches(ci, 0, prefix, 0, prefix.length());
            };
            case STRING_CONTAINS -> e -> {
                String s = text(a0.eval(e));
                String part = text(a1.eval(e));
                if (s == null || part == null) {
                    return null;
                }
                return WildcardPattern.contains(s, part, ci);
            };
            case INDEX_OF -> e -> indexOf(text(a0.eval(e)), text(a1.eval(e)), a2 == null ? 0L : a2.eval(e), ci);
            case LENGTH -> e -> {
                String s = text(a0.eval(e));
                return s == null ? null : (Object) (long) s.length();
            };
            case NUMBER -> e -> number(a0.eval(e), a1 == null ? null : a1.eval(e));
            case STRING -> e -> text(a0.eval(e));
            case SUBSTRING -> e -> substring(text(a0.eval(e)), a1.eval(e), a2 == null ? null : a2.eval(e), a2 != null);
        };
    }

    /** The text form of a value for string functions; null stays null. */
    static String text(Object value) {
        return TypedValues.asString(value);
    }

    static Object between(String source, String left, String right, Object greedy, boolean ci) {
        if (source == null || left == null || right == null || !(greedy instanceof Boolean g)) {
            return null;
        }
        String haystack = ci ? source.toLowerCase(Locale.ROOT) : source;
        String l = ci ? left.toLowerCase(Locale.ROOT) : left;
        String r = ci ? right.toLowerCase(Locale.ROOT) : right;
        int leftAt = haystack.indexOf(l);
        if (leftAt < 0) {
            return "";
        }
        int start = leftAt + l.length();
        int end = g ? haystack.lastIndexOf(r) : haystack.indexOf(r, start);
        if (end < start) {
            return "";
        }
        return source.substring(start, end);
    }

    private static Scalar cidrMatch(List<Scalar> args, Object[] constants) {
        Scalar address = args.get(0);
        List<Cidr> fixed = new ArrayList<>();
        boolean allConstant = true;
        boolean anyNull = false;
        for (int i = 1; i < args.size(); i++) {
            if (constants[i] == Compiler.NOT_CONSTANT) {
                allConstant = false;
            } else if (constants[i] == null) {
                anyNull = true;
            } else {
                fixed.add(Cidr.parse(text(constants[i])));
            }
        }
        if (allConstant) {
            boolean nullBlock = anyNull;
            return e -> {
                Object value = address.eval(e);
                if (value == null || nullBlock) {
                    return null;
                }
                return inAny(value, fixed);
            };
        }
        return e -> {
            Object value = address.eval(e);
            if (value == null) {
                return null;
            }
            List<Cidr> blocks = new ArrayList<>();
            for (int i = 1; i < args.size(); i++) {
                String block = text(args.get(i).eval(e));
                if (block == null) {
                    return null;
                }
                try {
                    blocks.add(Cidr.parse(block));
                } catch (IllegalArgumentException bad) {
                    return null;
                }
            }
            return inAny(value, blocks);
        };
    }

    static boolean inAny(Object address, List<Cidr> blocks) {
        Ip ip = address instanceof Ip i ? i : Ip.parse(text(address));
        if (ip == null) {
            return false;
        }
        for (Cidr block : blocks) {
            if (block.contains(ip.bytes())) {
                return true;
            }
        }
        return false;
    }

    static Object indexOf(String source, String part, Object startValue, boolean ci) {
        if (source == null || part == null || !(startValue instanceof Number startNumber)) {
            return null;
        }
        long start = Math.max(0, startNumber.longValue());
        if (start > source.length()) {
            return null;
        }
        String haystack = ci ? source.toLowerCase(Locale.ROOT) : source;
        String needle = ci ? part.toLowerCase(Locale.ROOT) : part;
        int at = haystack.indexOf(needle, (int) start);
        return at < 0 ? null : (Object) (long) at;
    }

    static Object number(Object value, Object baseValue) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return TypedValues.plain(n);
        }
        String text = text(value).trim();
        String sign = "";
        if (text.startsWith("-") || text.startsWith("+")) {
            sign = text.substring(0, 1);
            text = text.substring(1);
        }
        Integer base = baseValue instanceof Number b ? b.intValue() : null;
        if (text.startsWith("0x") || text.startsWith("0X")) {
            if (base != null && base != 16) {
                return null;
            }
            base = 16;
            text = text.substring(2);
        }
        if (text.isEmpty() || text.startsWith("-") || text.startsWith("+")) {
            return null;
        }
        int radix = base == null ? 10 : base;
        if (radix < Character.MIN_RADIX || radix > Character.MAX_RADIX) {
            return null;
        }
        try {
            return Long.parseLong(sign + text, radix);
        } catch (NumberFormatException notInteger) {
            if (radix != 10) {
                return null;
            }
            try {
                double d = Double.parseDouble(sign + text);
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException notNumber) {
                return null;
            }
        }
    }

    /** Python-style slicing, which EQL inherited: negative positions count from the end. */
    static Object substring(String source, Object startValue, Object endValue, boolean hasEnd) {
        if (source == null || !(startValue instanceof Number startNumber)) {
            return null;
        }
        if (hasEnd && endValue != null && !(endValue instanceof Number)) {
            return null;
        }
        int length = source.length();
        long start = startNumber.longValue();
        long end = endValue instanceof Number endNumber ? endNumber.longValue() : length;
        if (start < 0) {
            start = Math.max(0, start + length);
        }
        if (end < 0) {
            end = Math.max(0, end + length);
        }
        start = Math.min(start, length);
        end = Math.min(end, length);
        return start >= end ? "" : source.substring((int) start, (int) end);
    }
}
