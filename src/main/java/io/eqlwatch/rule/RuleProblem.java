package io.eqlwatch.rule;

import java.nio.file.Path;

/**
 * One thing wrong with a rule file, with where it is. Line and column are 1-based; 0 means the
 * problem concerns the whole file (it cannot be read, or a required key is absent).
 */
public record RuleProblem(Path file, int line, int column, String message) {

    @Override
    public String toString() {
        String where = file == null ? "<rule>" : file.toString();
        return line > 0 ? where + ":" + line + ":" + column + ": " + message : where + ": " + message;
    }
}
