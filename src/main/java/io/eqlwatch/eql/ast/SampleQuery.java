package io.eqlwatch.eql.ast;

import java.util.List;

/** {@code sample by keys [stage] [stage] ...}: unordered events sharing join keys. */
public record SampleQuery(List<Expr> by, List<SequenceStage> stages) implements QueryBody {
    public SampleQuery {
        by = List.copyOf(by);
        stages = List.copyOf(stages);
    }
}
