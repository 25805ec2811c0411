package io.eqlwatch.schedule;

/**
 * What the run loop records as windows complete, so that a later run resumes where this one ended:
 * the daemon's per-rule checkpoint, a backfill's progress through its range, or nothing (preview).
 */
public interface CheckpointPolicy {

    /** Records nothing and skips nothing. */
    CheckpointPolicy NONE = new CheckpointPolicy() {
        @Override
        public void completed(TimeWindow window) {}

        @Override
        public void cutShort(TimeWindow window) {}
    };

    /** Whether an earlier run already completed the window, so this one need not read it. */
    default boolean alreadyDone(TimeWindow window) {
        return false;
    }

    /** Every alert of the window is written. */
    void completed(TimeWindow window);

    /** The alert budget ran out in this window: the next run must read it again. */
    void cutShort(TimeWindow window);
}
