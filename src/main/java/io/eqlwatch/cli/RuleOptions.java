package io.eqlwatch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where rules come from and where their alerts go; shared by the commands that run rules. */
public final class RuleOptions {

    @Option(names = "--rules", defaultValue = "${env:EQLWATCH_RULES:-rules}",
            description = "Rule file or folder of *.yml rules (env EQLWATCH_RULES; default ${DEFAULT-VALUE}).")
    Path rules;

    @Option(names = "--alerts-index", defaultValue = "${env:EQLWATCH_ALERTS_INDEX:-eqlwatch-alerts-default}",
            description = "Index (alias) alerts are written to (env EQLWATCH_ALERTS_INDEX; default ${DEFAULT-VALUE}).")
    String alertsIndex;
}
