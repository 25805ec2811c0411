package io.eqlwatch.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** How executions read, catch up and keep state; the defaults suit most clusters. */
public final class EngineOptions {

    @Option(
            names = "--state-index",
            defaultValue = "${env:EQLWATCH_STATE_INDEX:-eqlwatch-state}",
            description =
                    "Index of checkpoints and the execution history (env EQLWATCH_STATE_INDEX; default ${DEFAULT-VALUE}).")
    String stateIndex;

    @Option(
            names = "--catch-up-hours",
            defaultValue = "${env:EQLWATCH_CATCH_UP_HOURS:-24}",
            description = "After downtime, read at most this many hours since the checkpoint; older ranges are"
                    + " recorded as gaps to backfill (env EQLWATCH_CATCH_UP_HOURS; default ${DEFAULT-VALUE}).")
    int catchUpHours;

    @Option(
            names = "--page-size",
            defaultValue = "${env:EQLWATCH_PAGE_SIZE:-10000}",
            description = "Events per search page (env EQLWATCH_PAGE_SIZE; default ${DEFAULT-VALUE}, the most a"
                    + " search returns: each page runs the query again, so fewer pages cost the cluster less).")
    int pageSize;

    @Option(
            names = "--source",
            defaultValue = "${env:EQLWATCH_SOURCE:-auto}",
            converter = SourceChoiceConverter.class,
            description = "What each search page fetches of an event: 'filtered' (only the fields the rules read,"
                    + " fewest bytes), 'whole' (the whole _source, which costs the cluster less CPU) or 'auto'"
                    + " (whole when the cluster's address is this machine's, else filtered) (env EQLWATCH_SOURCE;"
                    + " default ${DEFAULT-VALUE}).")
    SourceChoice source;

    /** {@code auto}, {@code filtered} or {@code whole}, in any case. */
    static final class SourceChoiceConverter implements ITypeConverter<SourceChoice> {
        @Override
        public SourceChoice convert(String value) {
            try {
                return SourceChoice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
