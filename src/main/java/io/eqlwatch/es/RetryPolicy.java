package io.eqlwatch.es;

import java.io.IOException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;

/**
 * Retries an Elasticsearch call that failed for a reason that may pass: no connection, a timeout, or an
 * overloaded/restarting cluster (HTTP 429, 502, 503, 504). Other errors (a bad query, a missing index when
 * that matters) fail at once. Backoff doubles from {@code initialBackoff} up to {@code maxBackoff}.
 *
 * @param maxAttempts    total attempts, at least 1
 * @param initialBackoff wait before the second attempt
 * @param maxBackoff     longest wait between attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);

    /** Five attempts over about 15 seconds. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(8));

    /** One attempt, no retry. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    private static volatile CallObserver observer = CallObserver.NONE;

    /**
     * Where every policy reports its retries and final failures (the daemon's metrics). Process-wide,
     * because policies are plain values created in many places.
     */
    public static void observeWith(CallObserver callObserver) {
        observer = callObserver == null ? CallObserver.NONE : callObserver;
    }

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** A call to Elasticsearch. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code call}, retrying transient failures. When all attempts fail, or a failure is not transient,
     * throws an {@link ElasticsearchCallException} whose message starts with {@code what}.
     */
    public <T> T run(String what, Call<T> call) {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (IOException | ElasticsearchException e) {
                if (!isTransient(e)) {
                    observer.failed(what, false);
                    throw new ElasticsearchCallException(what + " failed: " + describe(e), e);
                }
                if (attempt >= maxAttempts) {
                    observer.failed(what, true);
                    throw new ElasticsearchCallException(what + " failed after " + attempt + " attempt"
                            + (attempt == 1 ? "" : "s") + ": " + describe(e), e);
                }
                log.warn("{} failed (attempt {} of {}), retrying in {} ms: {}", what, attempt, maxAttempts,
                        backoff.toMillis(), describe(e));
                observer.retried(what);
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /** Whether the failure may go away on its own. */
    public static boolean isTransient(Exception e) {
        if (e instanceof ElasticsearchException ese) {
            return isTransientStatus(ese.status());
        }
        if (e instanceof TransportException te) {
            // A transport exception without a status is a connection-level failure.
            return te.statusCode() <= 0 || isTransientStatus(te.statusCode());
        }
        return e instanceof IOException;
    }

    private static boolean isTransientStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ElasticsearchCallException("Interrupted while waiting to retry", e);
        }
    }
}
