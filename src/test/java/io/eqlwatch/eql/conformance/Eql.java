package io.eqlwatch.eql.conformance;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eqlwatch.eql.EqlParser;
import io.eqlwatch.eql.Evaluator;
import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.eval.Compiler;
import io.eqlwatch.event.Event;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Small helpers so each conformance test reads like the reference example it pins. */
final class Eql {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Eql() {}

    static Event event(String json) {
        try {
            Map<String, Object> source = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
            return new Event("1", "idx", Instant.EPOCH, null, source);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static FieldTypes types(Object... fieldsAndTypes) {
        Map<String, FieldType> map = new HashMap<>();
        for (int i = 0; i < fieldsAndTypes.length; i += 2) {
            map.put((String) fieldsAndTypes[i], (FieldType) fieldsAndTypes[i + 1]);
        }
        return new FieldTypes(map);
    }

    /** Whether {@code any where <condition>} matches the event, with no mapping known. */
    static boolean matches(String condition, String json) {
        return matches(condition, json, FieldTypes.NONE);
    }

    static boolean matches(String condition, String json, FieldTypes types) {
        EventQuery query =
                (EventQuery) EqlParser.parse("any where " + condition).body();
        return new Evaluator(types).matches(query, event(json));
    }

    /** The value of an expression (a function call, arithmetic) on the event. */
    static Object value(String expression, String json) {
        return new Compiler(FieldTypes.NONE)
                .scalar(EqlParser.parseExpression(expression))
                .eval(event(json));
    }

    static Object value(String expression) {
        return new Compiler(FieldTypes.NONE)
                .scalar(EqlParser.parseExpression(expression))
                .eval(null);
    }
}
