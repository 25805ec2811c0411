package io.eqlwatch.cli;

import io.eqlwatch.metrics.OperationsEndpoint;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.schedule.ExecutionListener;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code run} tells the metrics and health endpoint, in one place: nothing at all when no
 * port was asked for.
 */
final class DaemonOperations implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonOperations.class);

    private final OperationsEndpoint endpoint;

    private DaemonOperations(OperationsEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Nothing to tell: no port was asked for (and {@code demo --keep-running}). */
    static DaemonOperations none() {
        return new DaemonOperations(null);
    }

    static DaemonOperations start(OperationsOptions options) {
        if (options.httpPort == null) {
            return none();
        }
        if (options.unreadyAfterFailures < 1) {
            throw new UserFacingException(
                    "--unready-after-failures must be at least 1, not " + options.unreadyAfterFailures);
        }
        try {
            OperationsEndpoint endpoint = OperationsEndpoint.start(options.httpPort, options.unreadyAfterFailures);
            LOG.info(
                    "metrics at http://localhost:{}/metrics, health at /health/live and /health/ready",
                    endpoint.port());
            return new DaemonOperations(endpoint);
        } catch (UncheckedIOException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
    }

    List<ExecutionListener> listeners() {
        return endpoint == null ? List.of() : List.of(endpoint);
    }

    void connected(ConnectedServices services) {
        if (endpoint != null) {
            endpoint.clusterConnected(() -> services.client.cluster().health(h -> h.timeout(t -> t.time("5s"))));
        }
    }

    void scheduled(Collection<Rule> rules) {
        if (endpoint != null) {
            endpoint.rulesScheduled(
                    rules.stream().filter(Rule::enabled).map(Rule::ruleId).toList());
        }
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
