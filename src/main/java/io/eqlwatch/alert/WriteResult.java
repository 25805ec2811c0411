package io.eqlwatch.alert;

import java.util.List;

/**
 * What an {@link AlertSink} did with the groups it was given.
 *
 * @param createdIds       the ids ({@link AlertGroup#id()}) of the groups that got at least one new
 *                         document, in the order given: the alerts a notifier may announce
 * @param writtenDocuments documents created (building blocks and shells together)
 * @param duplicates       groups whose documents all turned out to exist already (written meanwhile
 *                         by another process)
 */
public record WriteResult(List<String> createdIds, int writtenDocuments, int duplicates) {

    public static final WriteResult NONE = new WriteResult(List.of(), 0, 0);

    public WriteResult {
        createdIds = List.copyOf(createdIds);
    }
}
