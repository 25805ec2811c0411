package io.eqlwatch.eql.ast;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The functions Elasticsearch's EQL documents, with the argument counts its function registry
 * accepts and whether a {@code ~} (case-insensitive) form exists. Elasticsearch resolves function
 * names case-insensitively ({@code cidrmatch} is {@code cidrMatch}), so lookups here do too.
 */
public enum EqlFunction {
    ADD("add", 2, 2, false),
    BETWEEN("between", 3, 4, true),
    CIDR_MATCH("cidrMatch", 2, Integer.MAX_VALUE, false),
    CONCAT("concat", 1, Integer.MAX_VALUE, false),
    DIVIDE("divide", 2, 2, false),
    ENDS_WITH("endsWith", 2, 2, true),
    INDEX_OF("indexOf", 2, 3, true),
    LENGTH("length", 1, 1, false),
    MODULO("modulo", 2, 2, false),
    MULTIPLY("multiply", 2, 2, false),
    NUMBER("number", 1, 2, false),
    STARTS_WITH("startsWith", 2, 2, true),
    STRING("string", 1, 1, false),
    STRING_CONTAINS("stringContains", 2, 2, true),
    SUBSTRING("substring", 2, 3, false),
    SUBTRACT("subtract", 2, 2, false);

    private static final Map<String, EqlFunction> BY_NAME = Stream.of(values())
            .collect(Collectors.toUnmodifiableMap(f -> f.canonicalName.toLowerCase(Locale.ROOT), Function.identity()));

    private final String canonicalName;
    private final int minArguments;
    private final int maxArguments;
    private final boolean hasInsensitiveForm;

    EqlFunction(String canonicalName, int minArguments, int maxArguments, boolean hasInsensitiveForm) {
        this.canonicalName = canonicalName;
        this.minArguments = minArguments;
        this.maxArguments = maxArguments;
        this.hasInsensitiveForm = hasInsensitiveForm;
    }

    /** The name as the Elasticsearch reference spells it, e.g. {@code cidrMatch}. */
    public String canonicalName() {
        return canonicalName;
    }

    public int minArguments() {
        return minArguments;
    }

    /** {@link Integer#MAX_VALUE} for functions taking any number of arguments. */
    public int maxArguments() {
        return maxArguments;
    }

    /** Whether {@code name~(...)} exists for this function. */
    public boolean hasInsensitiveForm() {
        return hasInsensitiveForm;
    }

    /** The function called {@code name} in any letter case, or {@code null} when there is none. */
    public static EqlFunction byName(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    /** The documented signature, for error messages. */
    public String arityDescription() {
        if (minArguments == maxArguments) {
            return minArguments + (minArguments == 1 ? " argument" : " arguments");
        }
        if (maxArguments == Integer.MAX_VALUE) {
            return "at least " + minArguments + (minArguments == 1 ? " argument" : " arguments");
        }
        return minArguments + " to " + maxArguments + " arguments";
    }
}
