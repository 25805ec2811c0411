package io.eqlwatch.alert;

import java.io.IOException;

/**
 * Alerts could not all be written. The message names the index, the document ids and
 * Elasticsearch's reasons; {@link #partial()} tells what was written before the failure, so a run
 * can still report it (the next run writes the rest: ids are deterministic).
 */
public class AlertWriteException extends IOException {

    private final transient WriteSummary partial;

    public AlertWriteException(String message, WriteSummary partial, Throwable cause) {
        super(message, cause);
        this.partial = partial;
    }

    public WriteSummary partial() {
        return partial;
    }
}
