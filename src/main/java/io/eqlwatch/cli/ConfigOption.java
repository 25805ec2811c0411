package io.eqlwatch.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} on every command. {@link Main} reads it before parsing, because the file
 * supplies defaults for the very parse the option is part of.
 */
final class ConfigOption {

    static final String ENVIRONMENT_VARIABLE = "EQLWATCH_CONFIG";

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML file of option values by long name, e.g. 'es-url: https://es:9200'; a flag beats the"
                    + " environment, which beats the file (env EQLWATCH_CONFIG).")
    Path config;

    /** The file named by the last {@code --config} argument, else by the environment; {@code null} when none. */
    static Path find(String[] args, Map<String, String> environment) {
        Path found = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--config") && i + 1 < args.length) {
                found = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                found = Path.of(args[i].substring("--config=".length()));
            }
        }
        if (found == null
                && environment.get(ENVIRONMENT_VARIABLE) != null
                && !environment.get(ENVIRONMENT_VARIABLE).isBlank()) {
            found = Path.of(environment.get(ENVIRONMENT_VARIABLE));
        }
        return found;
    }
}
