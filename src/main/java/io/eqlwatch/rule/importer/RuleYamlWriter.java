package io.eqlwatch.rule.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a converted rule as YAML an engineer will read and edit: block lists and mappings, text
 * unquoted where YAML allows it, and every multi-line text (the query above all) as a literal block
 * scalar ({@code |}) so that it reads exactly as written in the source. The output is read back
 * and compared with the input before it is returned; a text the block style would change is
 * written double-quoted instead, so no value is ever altered.
 */
public final class RuleYamlWriter {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> RESERVED_WORDS =
            Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~");
    private static final int INDENT = 2;
    /** Text longer than this that would need quotes reads better as a block. */
    private static final int LONG_TEXT = 60;

    /** The whole file: header comments, then the fields. */
    public String write(ImportedRule rule) {
        String text = render(rule, true);
        if (!sameTree(rule.fields(), text)) {
            text = render(rule, false);
            if (!sameTree(rule.fields(), text)) {
                throw new IllegalStateException("writing " + rule.source() + " as YAML would change its values");
            }
        }
        return text;
    }

    private String render(ImportedRule rule, boolean blocks) {
        StringBuilder out = new StringBuilder();
        for (String line : header(rule)) {
            out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            writeEntry(out, 0, field.getKey(), field.getValue(), rule.comments().get(field.getKey()), blocks);
        }
        return out.toString();
    }

    private static List<String> header(ImportedRule rule) {
        List<String> lines = new ArrayList<>();
        lines.add("Imported by eqlwatch from " + oneLine(rule.source()) + ".");
        rule.notes().forEach(note -> lines.add(oneLine(note)));
        if (!rule.dropped().isEmpty()) {
            lines.add("Not kept (no meaning in eqlwatch): " + oneLine(String.join(", ", rule.dropped())) + ".");
        }
        return lines;
    }

    /** How text values may be written: literal blocks where they help, always for the query, or never. */
    private enum Style {
        BLOCKS,
        ALWAYS_BLOCK,
        NO_BLOCKS
    }

    private static Style styleOf(boolean blocks) {
        return blocks ? Style.BLOCKS : Style.NO_BLOCKS;
    }

    private void writeEntry(StringBuilder out, int indent, String key, JsonNode value, String comment, boolean blocks) {
        pad(out, indent).append(key).append(':');
        // The query is the text an engineer edits most: always a block, even on one line.
        writeValue(out, indent, value, comment, blocks && key.equals("query") ? Style.ALWAYS_BLOCK : styleOf(blocks));
    }

    /** Writes what follows {@code key:} or {@code -}: a scalar on the same line, or a block below. */
    private void writeValue(StringBuilder out, int indent, JsonNode value, String comment, Style style) {
        boolean blocks = style != Style.NO_BLOCKS;
        if (value.isObject() && !value.isEmpty()) {
            out.append('\n');
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                writeEntry(out, indent + INDENT, field.getKey(), field.getValue(), null, blocks);
            }
        } else if (value.isArray() && !value.isEmpty()) {
            out.append('\n');
            for (JsonNode element : value) {
                pad(out, indent + INDENT).append('-');
                if (element.isObject() && !element.isEmpty()) {
                    // The first key goes on the dash's line; the others line up under it.
                    boolean first = true;
                    for (Iterator<Map.Entry<String, JsonNode>> it = element.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> field = it.next();
                        if (first) {
                            out.append(' ').append(field.getKey()).append(':');
                            writeValue(out, indent + 2 * INDENT, field.getValue(), null, styleOf(blocks));
                            first = false;
                        } else {
                            writeEntry(out, indent + 2 * INDENT, field.getKey(), field.getValue(), null, blocks);
                        }
                    }
                } else {
                    writeValue(out, indent + INDENT, element, null, styleOf(blocks));
                }
            }
        } else {
            out.append(' ').append(scalar(value, indent + INDENT, style));
            if (comment != null && out.charAt(out.length() - 1) != '\n') {
                out.append("  # ").append(oneLine(comment));
            }
            if (out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
        }
    }

    /** A scalar as YAML text; a literal block ends with its own newline. */
    private String scalar(JsonNode value, int contentIndent, Style style) {
        if (value.isObject()) {
            return "{}";
        }
        if (value.isArray()) {
            return "[]";
        }
        if (value.isNull()) {
            return "null";
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        String text = value.asText();
        if (style == Style.NO_BLOCKS || !blockable(text)) {
            return plainSafe(text) ? text : doubleQuoted(text);
        }
        if (style == Style.ALWAYS_BLOCK || text.contains("\n")) {
            return literalBlock(text, contentIndent);
        }
        if (plainSafe(text)) {
            return text;
        }
        return text.length() > LONG_TEXT ? literalBlock(text, contentIndent) : doubleQuoted(text);
    }

    private static String literalBlock(String text, int contentIndent) {
        int trailingBreaks = 0;
        while (trailingBreaks < text.length() && text.charAt(text.length() - 1 - trailingBreaks) == '\n') {
            trailingBreaks++;
        }
        String chomping = trailingBreaks == 0 ? "-" : trailingBreaks == 1 ? "" : "+";
        String body = text.substring(0, text.length() - trailingBreaks);
        String[] lines = body.split("\n", -1);
        // YAML guesses a block's indentation from its first non-empty line; one that starts with a space needs it said.
        String firstContent =
                Arrays.stream(lines).filter(l -> !l.isEmpty()).findFirst().orElse("");
        String indicator = firstContent.startsWith(" ") ? Integer.toString(INDENT) : "";
        StringBuilder out =
                new StringBuilder("|").append(indicator).append(chomping).append('\n');
        for (String line : lines) {
            if (!line.isEmpty()) {
                out.append(" ".repeat(contentIndent)).append(line);
            }
            out.append('\n');
        }
        for (int i = 1; i < trailingBreaks; i++) {
            out.append('\n');
        }
        return out.toString();
    }

    /** Text a literal block holds unchanged: printable characters, tabs and line feeds only. */
    private static boolean blockable(String text) {
        if (text.isBlank()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != '\n' && !printable(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Text that YAML reads back as the same string without quotes: no indicator character first, no
     * {@code ": "} or {@code " #"} inside, and not read as a number, boolean or null (which is asked
     * of the YAML reader itself, so that {@code 5m} stays plain and {@code 1e3} or {@code no} get quotes).
     */
    static boolean plainSafe(String text) {
        if (text.isEmpty() || RESERVED_WORDS.contains(text.toLowerCase(Locale.ROOT))) {
            return false;
        }
        char first = text.charAt(0);
        if (!(Character.isLetterOrDigit(first)
                || first == '_'
                || first == '/'
                || first == '\\'
                || first == '('
                || first == '$')) {
            return false;
        }
        if (Character.isWhitespace(text.charAt(text.length() - 1))
                || text.endsWith(":")
                || text.contains(": ")
                || text.contains(" #")
                || text.contains("\t")) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || !printable(c)) {
                return false;
            }
        }
        try {
            JsonNode read = YAML.readTree("v: " + text).get("v");
            return read != null && read.isTextual() && read.textValue().equals(text);
        } catch (IOException e) {
            return false;
        }
    }

    static String doubleQuoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (printable(c)) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** YAML's printable set (tab aside), minus the characters some readers take as line breaks. */
    private static boolean printable(char c) {
        if (c == '\t') {
            return true;
        }
        if (c < 0x20
                || (c >= 0x7F && c <= 0x9F)
                || c == '\u2028'
                || c == '\u2029'
                || c == '\uFEFF'
                || c == '\uFFFE'
                || c == '\uFFFF') {
            return false;
        }
        return true;
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\u0085\\u2028\\u2029]+", " ");
    }

    private static StringBuilder pad(StringBuilder out, int indent) {
        return out.append(" ".repeat(indent));
    }

    /** Reads the text back and compares it with what was meant, numbers by value. */
    private static boolean sameTree(JsonNode expected, String text) {
        try {
            JsonNode actual = YAML.readTree(text);
            return actual != null && expected.equals(NUMBERS_BY_VALUE, actual);
        } catch (IOException e) {
            return false;
        }
    }

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };
}
