package io.eqlwatch.bench;

import java.time.Instant;

/**
 * What a synthetic Elastic Defend stream holds: how many events, over how many hosts, at what simulated
 * rate, and how often a slot of the stream starts an SMB tool transfer (a sequence the rule must find) or a
 * stage-1 candidate (an inbound SMB connection by System that never completes a sequence). Every other
 * slot is noise that no stage of the rule accepts.
 *
 * @param events          events in the stream, planted ones included
 * @param hosts           hosts the events come from (every tenth is Linux; scenarios run on Windows hosts)
 * @param attackRate      chance that a slot starts a planted tool transfer (network event, then an
 *                        executable written by System within the rule's 30 s)
 * @param candidateRate   chance that a slot starts a stage-1 candidate that never completes
 * @param eventsPerSecond simulated event rate: sets the stream's time span (events / rate)
 * @param start           time of the first event
 * @param seed            the same seed gives the same stream, event for event
 */
public record Workload(
        long events,
        int hosts,
        double attackRate,
        double candidateRate,
        double eventsPerSecond,
        Instant start,
        long seed) {

    /** A fixed start, so that the same seed gives the same documents, timestamps included. */
    public static final Instant DEFAULT_START = Instant.parse("2024-05-01T10:00:00Z");

    public Workload {
        if (events < 0) {
            throw new IllegalArgumentException("the number of events must not be negative, got " + events);
        }
        if (hosts < 1) {
            throw new IllegalArgumentException("at least one host is needed, got " + hosts);
        }
        if (!(attackRate >= 0 && candidateRate >= 0 && attackRate + candidateRate <= 0.5)) {
            throw new IllegalArgumentException("attack and candidate rates must be >= 0 and add up to at most 0.5"
                    + " (the rest is noise), got " + attackRate + " and " + candidateRate);
        }
        if (!(eventsPerSecond > 0)) {
            throw new IllegalArgumentException("the simulated event rate must be positive, got " + eventsPerSecond);
        }
        if (start == null) {
            start = DEFAULT_START;
        }
    }

    /** The same stream with another number of events. */
    public Workload withEvents(long count) {
        return new Workload(count, hosts, attackRate, candidateRate, eventsPerSecond, start, seed);
    }
}
