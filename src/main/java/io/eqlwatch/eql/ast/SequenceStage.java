package io.eqlwatch.eql.ast;

import java.util.List;

/**
 * One bracketed stage of a sequence: {@code [event query] by keys with runs=N}, or a missing-event
 * stage {@code ![event query] by keys}.
 *
 * @param by      this stage's own join keys, appended to the sequence's shared keys
 * @param runs    how many consecutive matches of this stage it stands for (1 by default)
 * @param missing {@code true} for {@code ![...]}: the sequence matches only if no such event occurs
 */
public record SequenceStage(EventQuery event, List<Expr> by, int runs, boolean missing) {
    public SequenceStage {
        by = List.copyOf(by);
    }
}
