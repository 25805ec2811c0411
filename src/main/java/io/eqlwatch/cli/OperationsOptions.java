package io.eqlwatch.cli;

import picocli.CommandLine.Option;

/** The daemon's metrics and health port; off unless a port is given. */
final class OperationsOptions {

    @Option(
            names = "--http-port",
            defaultValue = "${env:EQLWATCH_HTTP_PORT}",
            description = "Serve /metrics (Prometheus), /health/live and /health/ready on this port"
                    + " (env EQLWATCH_HTTP_PORT; off when not set).")
    Integer httpPort;

    @Option(
            names = "--unready-after-failures",
            defaultValue = "${env:EQLWATCH_UNREADY_AFTER_FAILURES:-3}",
            description = "/health/ready reports unready once a rule failed this many executions in a row"
                    + " (env EQLWATCH_UNREADY_AFTER_FAILURES; default ${DEFAULT-VALUE}).")
    int unreadyAfterFailures;
}
