package io.eqlwatch.plan;

/** What a query finds: single events, ordered sequences of events, or unordered samples. */
public enum QueryShape {
    EVENT,
    SEQUENCE,
    SAMPLE;

    /** Whether matches join events on keys (sequences and samples do; event queries have no keys). */
    public boolean joins() {
        return this != EVENT;
    }
}
