package io.eqlwatch.es;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way eqlwatch retries a call to Elasticsearch, whatever the call (installing the alerts index,
 * reading and writing run state, reading events, writing alerts). As Kibana's {@code retryTransientEsErrors}:
 * a failure that may pass is retried — no connection, a reset or timeout, and HTTP 408, 410, 429, 502, 503,
 * 504 — with exponential backoff and jitter, waiting at least as long as a {@code Retry-After} the cluster
 * (or a proxy in front of it) sent; anything else fails at once. 401 and 403 are never retried: wrong
 * credentials or a missing privilege do not fix themselves, and retrying them would hide the problem.
 *
 * <p>Each call is bounded by {@code maxAttempts}; the default gives a call about 15 seconds, so one run of a
 * rule is bounded by its number of calls and a run under a flaky cluster ends (failed, and retried by the
 * next run from the same checkpoint) rather than hanging.
 *
 * @param maxAttempts    total attempts, at least 1
 * @param initialBackoff wait before the second attempt
 * @param maxBackoff     longest wait between attempts (a longer {@code Retry-After} is honoured up to
 *                       {@link #MAX_RETRY_AFTER})
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);

    /** Six attempts over about 15 seconds. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(8));

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

    /** The longest {@code Retry-After} obeyed; a cluster asking for more is treated as asking for this. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

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
     * throws an {@link ElasticsearchCallException} whose message starts with {@code what} and carries the
     * cause's own words (status, error type and reason).
     */
    public <T> T run(String what, Call<T> call) {
        return run(what, null, call);
    }

    /**
     * As {@link #run(String, Call)}; a 403 says {@code forbidden: needs <privilege>}, because a refused HEAD
     * request has no body to name the privilege itself.
     *
     * @param privilege what the call needs, e.g. {@code "view_index_metadata on index eqlwatch-alerts"}, or null
     */
    public <T> T run(String what, String privilege, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (IOException | ElasticsearchException e) {
                int status = ElasticsearchCallException.statusOf(e);
                if (!isTransient(e)) {
                    String why = status == 403 && privilege != null
                            ? "forbidden: needs privilege " + privilege + " (" + ElasticsearchCallException.describe(e)
                                    + ")"
                            : ElasticsearchCallException.describe(e);
                    observer.failed(what, false);
                    throw new ElasticsearchCallException(what + " failed: " + why, status, e);
                }
                if (attempt >= maxAttempts) {
                    observer.failed(what, true);
                    throw new ElasticsearchCallException(
                            what + " failed after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": "
                                    + ElasticsearchCallException.describe(e),
                            status,
                            e);
                }
                Duration wait = waitAfter(attempt, status);
                log.warn(
                        "{} failed (attempt {} of {}), retrying in {} ms: {}",
                        what,
                        attempt,
                        maxAttempts,
                        wait.toMillis(),
                        ElasticsearchCallException.describe(e));
                observer.retried(what);
                sleep(wait, what);
            }
        }
    }

    /**
     * How long to wait after failed attempt {@code attempt} (from 1) that answered {@code status} (0 for no
     * answer): the backoff doubles from {@code initialBackoff} up to {@code maxBackoff}, with "equal jitter"
     * (between half and all of it) so that many rules retrying at once spread out, and never less than a
     * pending {@code Retry-After}.
     */
    public Duration waitAfter(int attempt, int status) {
        long base = initialBackoff.toMillis();
        for (int i = 1; i < attempt && base < maxBackoff.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, maxBackoff.toMillis());
        long jittered =
                base <= 1 ? base : base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        Duration wait = Duration.ofMillis(jittered);
        if (status == 429 || status == 503) {
            Duration asked = RetryAfter.remaining();
            if (asked.compareTo(wait) > 0) {
                wait = asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
            }
        }
        return wait;
    }

    /** Waits {@code wait} before a retry; an interrupt (shutdown) ends the wait and the call. */
    public static void sleep(Duration wait, String what) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ElasticsearchCallException(what + ": interrupted while waiting to retry", 0, e);
        }
    }

    /** Whether the failure may go away on its own. */
    public static boolean isTransient(Exception e) {
        if (e instanceof ElasticsearchException ese) {
            return isTransientStatus(ese.status());
        }
        if (e instanceof TransportException te) {
            // A transport exception without a status is a connection-level failure.
            return te.statusCode() <= 0
                    ? !(te.getCause() instanceof Exception cause) || isTransient(cause)
                    : isTransientStatus(te.statusCode());
        }
        if (e instanceof SSLHandshakeException || e instanceof SSLPeerUnverifiedException) {
            // An untrusted or mismatched certificate stays so.
            return false;
        }
        return e instanceof IOException;
    }

    /** The HTTP statuses that say "not now" rather than "no": Kibana's list. */
    public static boolean isTransientStatus(int status) {
        return status == 408 || status == 410 || status == 429 || status == 502 || status == 503 || status == 504;
    }
}
