package io.eqlwatch.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code eqlwatch config [run options]}: the configuration {@code run} would use, every option with
 * its value and where it came from (flag, environment, file, default), secrets masked. It parses its
 * arguments exactly as {@code run} does, with the same config file and environment.
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Prints the configuration the daemon (run) would use, with where each value comes from;"
                + " secrets are masked. Takes the same options as run.")
final class ConfigCommand implements Callable<Integer> {

    static final String MASK = "********";
    private static final Pattern SECRET_OPTION = Pattern.compile("password|api-key|secret|token");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]+:)[^@/\\s]+@");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Unmatched
    List<String> runArguments = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine run = new CommandLine(new RunCommand());
        run.addMixin("config", new ConfigOption());
        LayeredDefaults defaults = (LayeredDefaults) spec.root().commandLine().getDefaultValueProvider();
        run.setDefaultValueProvider(defaults);
        CommandLine.ParseResult parsed;
        try {
            parsed = run.parseArgs(runArguments.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new UserFacingException(e.getMessage());
        }
        var out = spec.commandLine().getOut();
        out.println("# eqlwatch run would use (config file: "
                + (defaults.file().path() == null ? "none" : defaults.file().path()) + ")");
        for (OptionSpec option : run.getCommandSpec().options()) {
            if (option.usageHelp()
                    || option.versionHelp()
                    || !option.longestName().startsWith("--")) {
                continue;
            }
            String key = LayeredDefaults.key(option);
            if (key.equals("config")) {
                continue;
            }
            LayeredDefaults.Source source =
                    parsed.hasMatchedOption(option) ? LayeredDefaults.Source.FLAG : defaults.sourceWithoutFlag(option);
            String where =
                    switch (source) {
                        case FLAG -> "flag " + option.longestName();
                        case ENVIRONMENT -> "env "
                                + LayeredDefaults.environmentVariable(option).orElse("?");
                        case FILE -> "file";
                        case DEFAULT -> "default";
                    };
            out.println(key + ": " + shown(key, option.getValue()) + "  # " + where);
        }
        out.flush();
        return 0;
    }

    /** The value as YAML would read it back, or the mask for a secret that is set. */
    static String shown(String key, Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        if (SECRET_OPTION.matcher(key).find()) {
            return text.isEmpty() ? "\"\"" : MASK;
        }
        text = URL_PASSWORD.matcher(text).replaceAll("$1" + MASK + "@");
        return text.isEmpty() || text.matches(".*[:#{}\\[\\],&*?|<>=!%@`'\"].*|^\\s.*|.*\\s$") ? quoted(text) : text;
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
