package io.eqlwatch.rule;

/**
 * Turns a position inside the EQL text into a position in the YAML file, so that an EQL syntax
 * error points at the right character of the rule file an engineer has open.
 */
final class QueryPosition {

    private QueryPosition() {}

    /**
     * @param fileText    the whole YAML file
     * @param valueLine   line of the {@code query} value (for a block scalar, the {@code |} line)
     * @param valueColumn column of the value
     * @param eqlLine     1-based line inside the query
     * @param eqlColumn   1-based column inside the query
     * @return {line, column} in the file
     */
    static int[] inFile(String fileText, int valueLine, int valueColumn, int eqlLine, int eqlColumn) {
        String[] lines = fileText.split("\n", -1);
        String valueStart = valueLine - 1 < lines.length ? lines[valueLine - 1] : "";
        String rest = valueColumn - 1 < valueStart.length() ? valueStart.substring(valueColumn - 1) : "";
        if (rest.startsWith("|") || rest.startsWith(">")) {
            // Block scalar: the query starts on the next line, indented by the block's indentation.
            int firstContent = valueLine;
            while (firstContent < lines.length && lines[firstContent].isBlank()) {
                firstContent++;
            }
            int indent = firstContent < lines.length ? leadingSpaces(lines[firstContent]) : 0;
            return new int[] {valueLine + eqlLine, indent + eqlColumn};
        }
        boolean quoted = rest.startsWith("\"") || rest.startsWith("'");
        if (eqlLine == 1) {
            return new int[] {valueLine, valueColumn + (quoted ? 1 : 0) + eqlColumn - 1};
        }
        // A flow scalar folded over lines: later lines keep their own indentation.
        int line = valueLine + eqlLine - 1;
        int indent = line - 1 < lines.length ? leadingSpaces(lines[line - 1]) : 0;
        return new int[] {line, indent + eqlColumn};
    }

    private static int leadingSpaces(String line) {
        int count = 0;
        while (count < line.length() && line.charAt(count) == ' ') {
            count++;
        }
        return count;
    }
}
