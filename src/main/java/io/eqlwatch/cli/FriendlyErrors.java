package io.eqlwatch.cli;

import io.eqlwatch.rule.RuleLoadException;
import picocli.CommandLine;

/**
 * Turns failures a user can fix (bad rule files, an unreachable cluster) into a clear message and
 * exit code 2 instead of a stack trace; anything unexpected keeps its stack trace for a bug report.
 */
final class FriendlyErrors implements CommandLine.IExecutionExceptionHandler {

    static final int USER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (e instanceof RuleLoadException rules) {
            commandLine.getErr().println("eqlwatch: the rules have problems:");
            rules.problems().forEach(p -> commandLine.getErr().println("  " + p));
            return USER_ERROR;
        }
        if (e instanceof UserFacingException userFacing) {
            commandLine.getErr().println("eqlwatch: " + userFacing.getMessage());
            return USER_ERROR;
        }
        commandLine.getErr().println("eqlwatch: unexpected error: " + e);
        e.printStackTrace(commandLine.getErr());
        return 1;
    }
}
