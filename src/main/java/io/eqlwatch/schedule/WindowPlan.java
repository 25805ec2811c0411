package io.eqlwatch.schedule;

import java.util.List;
import java.util.Optional;

/**
 * What one execution of a rule reads: the windows in order (the checkpoint moves to each one's end
 * as it completes), and the range it had to leave unread because it lay beyond the catch-up limit.
 */
public record WindowPlan(List<TimeWindow> windows, Optional<TimeWindow> gap) {
    public WindowPlan {
        windows = List.copyOf(windows);
    }
}
