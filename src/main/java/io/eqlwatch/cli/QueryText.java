package io.eqlwatch.cli;

import io.eqlwatch.eql.EqlParser;
import io.eqlwatch.eql.ast.Query;
import io.eqlwatch.eql.parser.EqlSyntaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --eql} argument: query text, or {@code @file} naming a file that holds it. */
final class QueryText {

    private QueryText() {}

    static String load(String argument) {
        if (!argument.startsWith("@")) {
            return argument;
        }
        Path file = Path.of(argument.substring(1));
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserFacingException("--eql " + argument + ": cannot read the query file " + file + ": " + e);
        }
    }

    /** Parses the query; a syntax error becomes {@code line:col: reason} with the line and a caret under the spot. */
    static Query parse(String text) {
        try {
            return EqlParser.parse(text);
        } catch (EqlSyntaxException e) {
            throw new UserFacingException(
                    e.line() + ":" + e.column() + ": " + e.reason() + "\n" + pointAt(text, e.line(), e.column()));
        }
    }

    /** The query's line and, below it, a caret under the column (tabs kept, so the caret lines up). */
    static String pointAt(String text, int line, int column) {
        String[] lines = text.split("\r?\n", -1);
        String source = line >= 1 && line <= lines.length ? lines[line - 1] : "";
        StringBuilder caret = new StringBuilder();
        for (int i = 0; i < column - 1 && i < source.length(); i++) {
            caret.append(source.charAt(i) == '\t' ? '\t' : ' ');
        }
        for (int i = source.length(); i < column - 1; i++) {
            caret.append(' ');
        }
        return "  " + source + "\n  " + caret + "^";
    }
}
