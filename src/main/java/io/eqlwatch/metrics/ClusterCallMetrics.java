package io.eqlwatch.metrics;

import io.eqlwatch.es.CallObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Retries and failures of calls to Elasticsearch. Not labelled by the call's description, which
 * names indices and counts and would make a new series per call.
 */
public final class ClusterCallMetrics implements CallObserver {

    private final Counter retries;
    private final Counter transientFailures;
    private final Counter permanentFailures;

    public ClusterCallMetrics(MeterRegistry registry) {
        retries = Counter.builder("eqlwatch.es.call.retries")
                .description("Calls to Elasticsearch retried after a transient failure")
                .register(registry);
        transientFailures = failures(registry, "transient");
        permanentFailures = failures(registry, "permanent");
    }

    private static Counter failures(MeterRegistry registry, String cause) {
        return Counter.builder("eqlwatch.es.call.failures")
                .description(
                        "Calls to Elasticsearch that gave up: after the last retry (transient) or at once (permanent)")
                .tag("cause", cause)
                .register(registry);
    }

    @Override
    public void retried(String what) {
        retries.increment();
    }

    @Override
    public void failed(String what, boolean transientCause) {
        (transientCause ? transientFailures : permanentFailures).increment();
    }
}
