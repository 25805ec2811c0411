package io.eqlwatch.alert;

import java.util.List;

/** Where a run's alerts go: the writer, or a decorator in front of it (suppression). */
public interface AlertSink {

    /**
     * Writes the alerts of one run's matches (see {@link AlertWriter#write}).
     *
     * @param maxSignals new alerts written at most
     */
    WriteSummary write(List<AlertGroup> groups, int maxSignals) throws AlertWriteException;
}
