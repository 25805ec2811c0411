package io.eqlwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar eqlwatch.jar <command>}: the entry point. */
@Command(name = "eqlwatch",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs Elastic-style EQL detection rules against Elasticsearch on a schedule,"
                + " evaluating the EQL in its own memory, and writes alerts that Kibana can show.",
        subcommands = {
                RunCommand.class,
                OnceCommand.class,
                StatusCommand.class,
                BackfillCommand.class,
                PreviewCommand.class,
                NotifyCommand.class,
                DemoCommand.class,
                LoadDemoEventsCommand.class,
                QueryCommand.class,
                ImportCommand.class,
                ValidateCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(new FriendlyErrors());
        // picocli would replace "@file" arguments with the file's words; `query --eql @file` reads the file itself.
        commandLine.setExpandAtFiles(false);
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
