package io.eqlwatch.source;

import io.eqlwatch.event.Event;
import java.util.Iterator;

/** The events of one read, in the request's order, and what reading them cost. */
public interface EventCursor extends Iterator<Event>, AutoCloseable {

    /** Events handed out so far. */
    long eventsRead();

    /** Documents skipped so far for a missing or unparseable timestamp. */
    long skipped();

    @Override
    void close();
}
