package io.eqlwatch.cli;

import java.lang.reflect.AnnotatedElement;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when it is not on the command line: its environment variable
 * (the one its {@code defaultValue} names), else the config file, else the built-in default. picocli
 * asks a default provider before the annotation's default, so this provider must itself put the
 * environment before the file.
 */
final class LayeredDefaults implements CommandLine.IDefaultValueProvider {

    private static final Pattern ENV_VARIABLE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");

    /** Where a value came from, as {@code eqlwatch config} reports it. */
    enum Source {
        FLAG,
        ENVIRONMENT,
        FILE,
        DEFAULT
    }

    private final ConfigFile file;
    private final Map<String, String> environment;

    LayeredDefaults(ConfigFile file, Map<String, String> environment) {
        this.file = file;
        this.environment = environment;
    }

    ConfigFile file() {
        return file;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        Optional<String> variable = environmentVariable(option);
        if (variable.isPresent() && environment.get(variable.get()) != null) {
            return environment.get(variable.get());
        }
        return file.value(key(option)); // null: the annotation's default
    }

    /** Where the value of an option not given on the command line comes from. */
    Source sourceWithoutFlag(OptionSpec option) {
        Optional<String> variable = environmentVariable(option);
        if (variable.isPresent() && environment.get(variable.get()) != null) {
            return Source.ENVIRONMENT;
        }
        return file.has(key(option)) ? Source.FILE : Source.DEFAULT;
    }

    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^--?", "");
    }

    /** The variable named in the option's annotated default, e.g. EQLWATCH_ES_URL. */
    static Optional<String> environmentVariable(OptionSpec option) {
        if (!(option.userObject() instanceof AnnotatedElement element)) {
            return Optional.empty();
        }
        CommandLine.Option annotation = element.getAnnotation(CommandLine.Option.class);
        if (annotation == null) {
            return Optional.empty();
        }
        Matcher m = ENV_VARIABLE.matcher(annotation.defaultValue());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
