package io.eqlwatch.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs an eqlwatch command in-process as a user would type it, capturing its output and exit code. */
final class CommandRun {

    final int exitCode;
    final String out;
    final String err;

    private CommandRun(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    static CommandRun of(List<String> args) {
        return of(args.toArray(new String[0]));
    }

    /** The numbers of a rule's summary line, e.g. "alerts written" → 3. */
    long count(String label) {
        List<Long> found = new ArrayList<>();
        for (String line : out.split("\n")) {
            int at = line.indexOf(label + " ");
            if (at >= 0) {
                String rest = line.substring(at + label.length() + 1);
                found.add(Long.parseLong(rest.replaceAll("^(\\d+).*", "$1")));
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(
                    "expected one '" + label + "' in the output, found " + found.size() + ":\n" + out + err);
        }
        return found.get(0);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
}
