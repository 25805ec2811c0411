package io.eqlwatch.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.eql.ast.Expr;
import io.eqlwatch.eql.ast.Pipe;
import io.eqlwatch.eql.ast.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A parsed EQL query compiled for running: its shape, its stages, and what reading its events takes.
 * Made once by {@link Planner}; immutable, and safe to share between threads and runs.
 *
 * @param query      the query as parsed
 * @param shape      event query, sequence or sample
 * @param stages     the stages as written (one for an event query)
 * @param until      the sequence's {@code until} stage; {@code null} when there is none
 * @param sharedKeys the keys every stage joins on ({@code sequence by}/{@code sample by}); empty for an event query
 * @param maxspan    the sequence's maxspan; {@code null} when unbounded or not a sequence
 * @param pipes      {@code head}/{@code tail}, in the order written
 * @param readFilter the query-DSL filter reading every event the query can use: any stage, {@code until}
 *                   and missing-event stages included; {@code null} in a plan made for matching only
 * @param fieldsRead every field the query reads from an event (conditions, keys, the category field)
 */
public record QueryPlan(
        Query query,
        QueryShape shape,
        List<StagePlan> stages,
        StagePlan until,
        List<Expr> sharedKeys,
        Duration maxspan,
        List<Pipe> pipes,
        ObjectNode readFilter,
        Set<String> fieldsRead) {

    public QueryPlan {
        stages = List.copyOf(stages);
        sharedKeys = List.copyOf(sharedKeys);
        pipes = List.copyOf(pipes);
        fieldsRead = Set.copyOf(fieldsRead);
    }

    /** The read filter, as a copy the caller may extend. */
    @Override
    public ObjectNode readFilter() {
        return readFilter == null ? null : readFilter.deepCopy();
    }

    /**
     * How much consecutive windows must overlap so that no match straddles their border unseen: the
     * maxspan of a sequence, zero otherwise.
     */
    public Duration overlap() {
        return maxspan == null ? Duration.ZERO : maxspan;
    }

    /** The stages whose events must be read: every stage, then {@code until}. */
    public List<StagePlan> stagesToRead() {
        if (until == null) {
            return stages;
        }
        List<StagePlan> all = new ArrayList<>(stages);
        all.add(until);
        return all;
    }
}
