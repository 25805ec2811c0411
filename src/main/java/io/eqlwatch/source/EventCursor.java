package io.eqlwatch.source;

import io.eqlwatch.event.Event;
import java.util.Iterator;
import java.util.List;

/** The events of one read, in the request's order, and what reading them cost. */
public interface EventCursor extends Iterator<Event>, AutoCloseable {

    /** Events handed out so far. */
    long eventsRead();

    /** Documents skipped so far: a missing or unparseable timestamp, or a source too deeply nested to use. */
    long skipped();

    /** The documents skipped so far, in the order read (a reader may keep only the first ones). */
    List<SkippedEvent> skippedEvents();

    @Override
    void close();
}
