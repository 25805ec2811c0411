package io.eqlwatch.engine;

import io.eqlwatch.plan.StagePlan;

/**
 * One stage of a sequence as the matcher runs it: {@code with runs=N} is expanded into N copies,
 * as Elasticsearch does, so {@code index} counts expanded stages.
 *
 * @param index  position among the expanded stages
 * @param source the compiled stage as written (shared by the copies of a {@code runs} stage)
 */
record PlannedStage(int index, StagePlan source) {

    boolean missing() {
        return source.missing();
    }
}
