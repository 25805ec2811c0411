package io.eqlwatch.engine;

import io.eqlwatch.eql.ast.EventQuery;
import io.eqlwatch.eql.ast.SequenceStage;

/**
 * One stage of a sequence as the matcher runs it: {@code with runs=N} is expanded into N copies,
 * as Elasticsearch does, so {@code index} counts expanded stages.
 *
 * @param index   position among the expanded stages
 * @param source  the stage as written (shared by the copies of a {@code runs} stage)
 * @param keys    extracts this stage's join keys: the sequence's {@code by} keys, then the stage's
 * @param missing {@code true} for a missing-event stage {@code ![...]}
 */
record PlannedStage(int index, SequenceStage source, JoinKeyExtractor keys, boolean missing) {

    EventQuery query() {
        return source.event();
    }
}
