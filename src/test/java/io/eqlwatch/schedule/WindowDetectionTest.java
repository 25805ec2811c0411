package io.eqlwatch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.ast.Expr;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key narrowing used for rare first stages and late events: a superset of the keys seen, never fewer. */
class WindowDetectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void plainKeysBecomeTermsOfEverySeenValue() throws Exception {
        ObjectNode filter = JSON.createObjectNode();
        filter.putObject("term").put("event.category", "network");
        ObjectNode narrowed = WindowDetection.narrowByKeys(
                filter,
                List.of(new Expr.Field("host.id", false), new Expr.Field("process.pid", false)),
                List.of(new LinkedHashSet<>(List.of("h1", "h2")), new LinkedHashSet<>(List.of(4L))));
        assertEquals(
                JSON.readTree(
                        """
                {"bool": {"filter": [
                  {"term": {"event.category": "network"}},
                  {"terms": {"host.id": ["h1", "h2"]}},
                  {"terms": {"process.pid": ["4"]}}]}}"""),
                narrowed);
    }

    @Test
    void optionalAndComputedKeysAreNotNarrowedBecauseTheirAbsenceAlsoJoins() throws Exception {
        ObjectNode filter = JSON.createObjectNode().putObject("match_all");
        ObjectNode narrowed = WindowDetection.narrowByKeys(
                JSON.createObjectNode().set("match_all", filter),
                List.of(
                        new Expr.Field("user.name", true),
                        new Expr.Function("string", false, List.of(new Expr.Field("process.pid", false)))),
                List.of(Set.<Object>of("alice"), Set.<Object>of("4")));
        assertEquals(JSON.readTree("{\"bool\": {\"filter\": [{\"match_all\": {}}]}}"), narrowed);
    }
}
