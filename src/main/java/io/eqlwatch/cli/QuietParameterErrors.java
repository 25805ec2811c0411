package io.eqlwatch.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a command line picocli could not parse without repeating what was typed after an unknown option:
 * {@code --es-passwrod SECRET} would otherwise print the secret in "Unknown options: '--es-passwrod',
 * 'SECRET'". Only the option names are shown, with picocli's suggestion of the option meant.
 */
final class QuietParameterErrors implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> options = unmatched.getUnmatched().stream()
                    .filter(a -> a.startsWith("-"))
                    .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a)
                    .toList();
            if (options.isEmpty()) {
                err.println("eqlwatch: unexpected argument(s) (not shown, they may be secrets); see --help");
            } else {
                err.println("eqlwatch: unknown option(s) " + String.join(", ", options)
                        + " (values not shown); see --help");
            }
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                err.println("Did you mean: " + String.join(" or ", suggestions) + "?");
            }
        } else {
            err.println("eqlwatch: " + e.getMessage());
            commandLine.usage(err);
        }
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }
}
