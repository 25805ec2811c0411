package io.eqlwatch.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a rule's alerts as an analyst would skim them: one row per detected sequence, with the
 * host, who connected, and what was written, read back from the alerts index as Kibana reads it.
 */
final class AlertTable {

    private static final String[] HEADERS = {"time", "host", "rule", "severity", "risk", "events"};

    private AlertTable() {}

    /** Reads the shell (or single-event) alerts and their building blocks, newest sequence last. */
    static List<String[]> rows(ElasticsearchClient client, String alertsIndex) throws IOException {
        client.indices().refresh(r -> r.index(alertsIndex));
        List<String[]> rows = new ArrayList<>();
        List<Hit<ObjectNode>> shells = client.search(
                        s -> s.index(alertsIndex)
                                .size(1000)
                                .query(q -> q.bool(b ->
                                        b.mustNot(m -> m.exists(e -> e.field("kibana.alert.building_block_type")))))
                                .sort(o -> o.field(f ->
                                        f.field("kibana.alert.original_time").order(SortOrder.Asc))),
                        ObjectNode.class)
                .hits()
                .hits();
        for (Hit<ObjectNode> hit : shells) {
            JsonNode shell = hit.source();
            String groupId = shell.path("kibana.alert.uuid").asText(hit.id());
            List<Hit<ObjectNode>> blocks = client.search(
                            s -> s.index(alertsIndex)
                                    .size(100)
                                    .query(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("kibana.alert.group.id")
                                                    .value(groupId)))
                                            .filter(f -> f.exists(e -> e.field("kibana.alert.building_block_type")))))
                                    .sort(o -> o.field(f ->
                                            f.field("kibana.alert.group.index").order(SortOrder.Asc))),
                            ObjectNode.class)
                    .hits()
                    .hits();
            List<String> events = new ArrayList<>();
            for (Hit<ObjectNode> block : blocks) {
                events.add(describe(block.source()));
            }
            if (events.isEmpty()) {
                events.add(describe(shell));
            }
            rows.add(new String[] {
                shell.path("kibana.alert.original_time").asText(),
                shell.path("host").path("name").asText("-"),
                shell.path("kibana.alert.rule.name").asText(),
                shell.path("kibana.alert.severity").asText(),
                shell.path("kibana.alert.risk_score").asText(),
                String.join(" → ", events)
            });
        }
        return rows;
    }

    private static String describe(JsonNode alert) {
        JsonNode event = alert.path("event");
        String category = event.path("category").isArray()
                ? event.path("category").path(0).asText()
                : event.path("category").asText("event");
        StringBuilder text = new StringBuilder(category);
        String process = alert.path("process").path("name").asText("");
        if (!process.isEmpty()) {
            text.append(" by ").append(process);
        }
        String source = alert.path("source").path("ip").asText("");
        if (!source.isEmpty()) {
            text.append(" from ")
                    .append(source)
                    .append(':')
                    .append(alert.path("destination").path("port").asText("?"));
        }
        String path = alert.path("file").path("path").asText("");
        if (!path.isEmpty()) {
            text.append(" wrote ").append(path);
        }
        return text.toString();
    }

    static void print(List<String[]> rows, PrintWriter out) {
        int[] widths = new int[HEADERS.length];
        for (int i = 0; i < HEADERS.length; i++) {
            widths[i] = HEADERS[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        printRow(HEADERS, widths, out);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length - 1; i++) {
            rule.append("-".repeat(widths[i])).append("  ");
        }
        out.println(rule.append("-".repeat(HEADERS[HEADERS.length - 1].length())));
        rows.forEach(row -> printRow(row, widths, out));
        out.flush();
    }

    private static void printRow(String[] cells, int[] widths, PrintWriter out) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(i == cells.length - 1 ? cells[i] : String.format("%-" + widths[i] + "s  ", cells[i]));
        }
        out.println(line);
    }
}
