package io.eqlwatch.source;

import java.time.Instant;

/**
 * The earliest and the latest timestamp among the events a read would return, by the read's timestamp field;
 * {@link #NONE} when it returns none.
 */
public record TimestampExtent(Instant earliest, Instant latest) {

    public static final TimestampExtent NONE = new TimestampExtent(null, null);

    public TimestampExtent {
        if ((earliest == null) != (latest == null) || earliest != null && latest.isBefore(earliest)) {
            throw new IllegalArgumentException("not an extent: " + earliest + " to " + latest);
        }
    }

    public boolean none() {
        return earliest == null;
    }

    /** The extent of the events so far with one more timestamp. */
    public TimestampExtent with(Instant at) {
        if (none()) {
            return new TimestampExtent(at, at);
        }
        return new TimestampExtent(at.isBefore(earliest) ? at : earliest, at.isAfter(latest) ? at : latest);
    }
}
