package io.eqlwatch.schedule;

import java.util.Map;

/**
 * Where Quartz keeps the schedule: in this process's memory (one node, nothing to set up), or in a
 * database shared by the nodes of a cluster, given as the Quartz job-store properties that say so.
 *
 * @param clustered  whether other nodes share the schedule, so that a job found there with another
 *                   rule version may be a newer copy rather than this node's own earlier one
 * @param properties Quartz properties ({@code org.quartz.jobStore.*}, {@code org.quartz.dataSource.*},
 *                   {@code org.quartz.scheduler.instanceId}) laid over eqlwatch's defaults
 */
public record SchedulerStore(boolean clustered, Map<String, String> properties) {

    public SchedulerStore {
        properties = Map.copyOf(properties);
    }

    public static SchedulerStore inMemory() {
        return new SchedulerStore(false, Map.of("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore"));
    }

    @Override
    public String toString() {
        // The properties hold the database password.
        return clustered ? "clustered job store" : "in-memory job store";
    }
}
