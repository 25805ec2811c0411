package io.eqlwatch.eql.ast;

import java.time.Duration;
import java.util.List;

/**
 * {@code sequence [by keys] [with maxspan=D] stage+ [until stage]}.
 *
 * @param by      join keys shared by every stage (may be empty)
 * @param maxspan the longest time from the first to the last event; {@code null} for unbounded
 * @param stages  the stages in order (missing-event stages included)
 * @param until   the stage whose match cancels pending sequences of its key; {@code null} if none
 */
public record SequenceQuery(List<Expr> by, Duration maxspan, List<SequenceStage> stages, SequenceStage until)
        implements QueryBody {
    public SequenceQuery {
        by = List.copyOf(by);
        stages = List.copyOf(stages);
    }
}
