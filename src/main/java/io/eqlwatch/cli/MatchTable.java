package io.eqlwatch.cli;

import io.eqlwatch.engine.Match;
import io.eqlwatch.event.Event;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Matches as a table a hunter can scan: one row per event, numbered by match, with the time, the
 * category, the host and user, the process, and the one detail that says what happened (the file,
 * the connection, the registry key, the DNS name or the command line).
 */
final class MatchTable {

    private static final int DETAIL_WIDTH = 100;

    private final String timestampField;
    private final String categoryField;
    private final boolean joinKeys;
    private final List<String[]> rows = new ArrayList<>();

    MatchTable(String timestampField, String categoryField, boolean joinKeys) {
        this.timestampField = timestampField;
        this.categoryField = categoryField;
        this.joinKeys = joinKeys;
    }

    void add(int number, Match match) {
        boolean first = true;
        int stage = 0;
        for (Event event : match.stageEvents()) {
            stage++;
            String label = first ? Integer.toString(number) : "";
            String keys = first && joinKeys
                    ? match.joinKeys().stream().map(String::valueOf).collect(Collectors.joining(", "))
                    : "";
            first = false;
            if (event == null) {
                rows.add(
                        row(label, keys, "-", "(missing)", "-", "-", "-", "no event for missing-event stage " + stage));
                continue;
            }
            rows.add(row(
                    label,
                    keys,
                    event.timestamp().toString(),
                    values(event, categoryField),
                    values(event, "host.name"),
                    values(event, "user.name"),
                    values(event, "process.name"),
                    detail(event)));
        }
    }

    void print(PrintWriter out) {
        String[] header = row(
                "MATCH",
                "JOIN KEYS",
                timestampField.toUpperCase(),
                categoryField.toUpperCase(),
                "HOST.NAME",
                "USER.NAME",
                "PROCESS.NAME",
                "DETAIL");
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int columns = header.length;
        int[] widths = new int[columns];
        for (String[] row : all) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                if (c == 1 && !joinKeys) {
                    continue;
                }
                line.append(c == columns - 1 ? row[c] : pad(row[c], widths[c])).append(c == columns - 1 ? "" : "  ");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String[] row(String... cells) {
        return cells;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    private static String values(Event event, String field) {
        List<Object> values = event.values(field);
        return values.isEmpty() ? "-" : values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** What happened, in one cell: the action, then the first of file, connection, registry, DNS, URL or command line. */
    static String detail(Event event) {
        List<String> parts = new ArrayList<>();
        Object action = event.first("event.action");
        if (action != null) {
            parts.add(String.valueOf(action));
        }
        String what = firstOf(event, "file.path", "registry.path", "dns.question.name", "url.full");
        if (what == null && (event.first("source.ip") != null || event.first("destination.ip") != null)) {
            what = endpoint(event, "source") + " -> " + endpoint(event, "destination")
                    + (event.first("network.transport") == null ? "" : " " + event.first("network.transport"));
        }
        if (what == null) {
            what = firstOf(event, "process.command_line", "process.executable", "message");
        }
        if (what != null) {
            parts.add(what);
        }
        String text = String.join(" ", parts).replaceAll("\\s+", " ");
        return text.isEmpty() ? "-" : text.length() > DETAIL_WIDTH ? text.substring(0, DETAIL_WIDTH - 1) + "…" : text;
    }

    private static String endpoint(Event event, String side) {
        Object ip = event.first(side + ".ip");
        Object port = event.first(side + ".port");
        return Objects.toString(ip, "?") + (port == null ? "" : ":" + port);
    }

    private static String firstOf(Event event, String... fields) {
        for (String field : fields) {
            Object value = event.first(field);
            if (value != null) {
                return String.valueOf(value);
            }
        }
        return null;
    }
}
