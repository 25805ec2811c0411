package io.eqlwatch.cli;

import io.eqlwatch.notify.ConnectorsFile;
import io.eqlwatch.notify.NotifyConfigException;
import io.eqlwatch.notify.NotifySettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where connectors are defined and where owed notifications are kept. */
public final class NotifyOptions {

    @Option(
            names = "--connectors",
            defaultValue = "${env:EQLWATCH_CONNECTORS:-connectors.yml}",
            description = "The connectors file that rules' actions name (env EQLWATCH_CONNECTORS; default"
                    + " ${DEFAULT-VALUE}); without it, owed notifications wait in the outbox.")
    Path connectors;

    @Option(
            names = "--notifications-index",
            defaultValue = "${env:EQLWATCH_NOTIFICATIONS_INDEX:-eqlwatch-notifications}",
            description =
                    "Index of owed and sent notifications (env EQLWATCH_NOTIFICATIONS_INDEX; default ${DEFAULT-VALUE}).")
    String notificationsIndex;

    /** The connectors file read, or a one-line-per-problem message saying what is wrong in it. */
    NotifySettings settings() {
        try {
            return new ConnectorsFile().load(connectors);
        } catch (NotifyConfigException e) {
            throw new UserFacingException("the connectors file cannot be used:\n" + e.getMessage());
        }
    }
}
