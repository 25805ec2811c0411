package io.eqlwatch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where rules come from and where their alerts go; shared by the commands that run rules. */
public final class RuleOptions {

    @Option(
            names = "--rules",
            defaultValue = "${env:EQLWATCH_RULES:-rules}",
            description = "Rule file or folder of *.yml rules (env EQLWATCH_RULES; default ${DEFAULT-VALUE}).")
    Path rules;

    @Option(
            names = "--alerts-index",
            defaultValue = "${env:EQLWATCH_ALERTS_INDEX:-eqlwatch-alerts-default}",
            description = "Index (alias) alerts are written to (env EQLWATCH_ALERTS_INDEX; default ${DEFAULT-VALUE}).")
    String alertsIndex;

    @Option(
            names = "--alerts-rollover-size",
            defaultValue = "${env:EQLWATCH_ALERTS_ROLLOVER_SIZE:-50gb}",
            description =
                    "Roll the alerts index over when its primary shard reaches this size (default ${DEFAULT-VALUE}).")
    String rolloverSize;

    @Option(
            names = "--alerts-rollover-age",
            defaultValue = "${env:EQLWATCH_ALERTS_ROLLOVER_AGE:-30d}",
            description = "... or when the write index is this old (default ${DEFAULT-VALUE}).")
    String rolloverAge;

    @Option(
            names = "--alerts-retention",
            defaultValue = "${env:EQLWATCH_ALERTS_RETENTION:-365d}",
            description = "Delete an alerts index this long after rollover; 'none' keeps alerts forever"
                    + " (default ${DEFAULT-VALUE}).")
    String retention;
}
