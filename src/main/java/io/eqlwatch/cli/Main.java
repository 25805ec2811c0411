package io.eqlwatch.cli;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar eqlwatch.jar <command>}: the entry point. */
@Command(
        name = "eqlwatch",
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
            ConfigCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // java.util.logging into SLF4J, so that every library logs through Logback's levels and format.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        CommandLine commandLine;
        try {
            commandLine = commandLine(args);
        } catch (UserFacingException e) {
            System.err.println("eqlwatch: " + e.getMessage());
            System.exit(FriendlyErrors.USER_ERROR);
            return;
        }
        System.exit(commandLine.execute(args));
    }

    /** The configured command line without a config file (unless EQLWATCH_CONFIG names one). */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The configured command line, shared by {@link #main} and the tests, with defaults from the
     * config file that {@code args} or EQLWATCH_CONFIG name.
     *
     * @throws UserFacingException when that file cannot be read or has an unknown option
     */
    public static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(new FriendlyErrors());
        commandLine.setParameterExceptionHandler(new QuietParameterErrors());
        // picocli would replace "@file" arguments with the file's words; `query --eql @file` reads the file itself.
        commandLine.setExpandAtFiles(false);
        for (CommandLine subcommand : commandLine.getSubcommands().values()) {
            if (!(subcommand.getCommand() instanceof CommandLine.HelpCommand)) {
                subcommand.addMixin("config", new ConfigOption());
            }
        }
        Path config = ConfigOption.find(args, System.getenv());
        ConfigFile file = config == null ? ConfigFile.none() : ConfigFile.read(config, optionKeys(commandLine));
        commandLine.setDefaultValueProvider(new LayeredDefaults(file, System.getenv()));
        return commandLine;
    }

    /** Every long option name of every command, without dashes: what a config file may set. */
    static Set<String> optionKeys(CommandLine commandLine) {
        Set<String> keys = new TreeSet<>();
        for (CommandLine subcommand : commandLine.getSubcommands().values()) {
            for (CommandLine.Model.OptionSpec option :
                    subcommand.getCommandSpec().options()) {
                if (!option.usageHelp()
                        && !option.versionHelp()
                        && option.longestName().startsWith("--")) {
                    keys.add(LayeredDefaults.key(option));
                }
            }
        }
        keys.remove("config");
        return keys;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
