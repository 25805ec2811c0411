package io.eqlwatch.tuning;

import java.util.List;
import java.util.Objects;

/**
 * One condition of an exception item, in Kibana's exception-item model. Every entry names a field;
 * the entries of an item are ANDed.
 */
public sealed interface ExceptionEntry {

    String field();

    /** {@code is} / {@code is not}: some value of the field equals {@code value} as the field's mapped type compares. */
    record Match(String field, Operator operator, String value) implements ExceptionEntry {
        public Match {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code is one of} / {@code is not one of}. */
    record MatchAny(String field, Operator operator, List<String> values) implements ExceptionEntry {
        public MatchAny {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(operator, "operator");
            values = List.copyOf(values);
        }
    }

    /** {@code exists} / {@code does not exist}. */
    record Exists(String field, Operator operator) implements ExceptionEntry {
        public Exists {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(operator, "operator");
        }
    }

    /** {@code matches} / {@code does not match}: an Elasticsearch wildcard pattern, case-sensitive. */
    record Wildcard(String field, Operator operator, String value) implements ExceptionEntry {
        public Wildcard {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code is in list} / {@code is not in list}: some value of the field is in a value list. */
    record InList(String field, Operator operator, ValueList list) implements ExceptionEntry {
        public InList {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(list, "list");
        }
    }

    /**
     * Conditions on the objects of a {@code nested} field: they hold when one object satisfies all
     * of {@code entries} (whose fields are relative to {@code field}).
     */
    record Nested(String field, List<ExceptionEntry> entries) implements ExceptionEntry {
        public Nested {
            Objects.requireNonNull(field, "field");
            entries = List.copyOf(entries);
        }
    }
}
