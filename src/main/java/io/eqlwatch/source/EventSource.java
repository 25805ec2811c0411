package io.eqlwatch.source;

/**
 * Where a run reads events from: Elasticsearch in production ({@link EventReader}), a list in
 * memory in the run loop's tests.
 */
@FunctionalInterface
public interface EventSource {

    /** Starts reading; close the cursor (or read it to the end) to release what it holds. */
    EventCursor read(ReadRequest request);
}
