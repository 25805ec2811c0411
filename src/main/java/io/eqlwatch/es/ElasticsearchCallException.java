package io.eqlwatch.es;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.transport.TransportException;

/**
 * A call to Elasticsearch failed for good (after retries, or at once when retrying would not help). The message
 * says what was attempted and why it failed in Elasticsearch's own words; {@link #status()} is the HTTP status
 * (0 when no answer came).
 */
public class ElasticsearchCallException extends RuntimeException {

    private final int status;

    public ElasticsearchCallException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public ElasticsearchCallException(String message, Throwable cause) {
        this(message, statusOf(cause), cause);
    }

    /** The HTTP status of the last answer, 0 when there was none (no connection, a timeout). */
    public int status() {
        return status;
    }

    /** Wrong or missing credentials (401) or a missing privilege (403): retrying will not help. */
    public boolean isAuthorizationFailure() {
        return status == 401 || status == 403;
    }

    /** The error type Elasticsearch gave, e.g. {@code resource_already_exists_exception}, or null. */
    public String errorType() {
        return getCause() instanceof ElasticsearchException es && es.error() != null
                ? es.error().type()
                : null;
    }

    /** The status of an Elasticsearch failure, 0 when it carries none. */
    public static int statusOf(Throwable e) {
        if (e instanceof ElasticsearchCallException call) {
            return call.status;
        }
        if (e instanceof ElasticsearchException es) {
            return es.status();
        }
        if (e instanceof TransportException te) {
            return Math.max(0, te.statusCode());
        }
        return 0;
    }

    /**
     * A failure in a line: status, error type and reason with their causes for an Elasticsearch error; for
     * 401/403 what to check; otherwise the exception's class and message (e.g. {@code ConnectException:
     * Connection refused}).
     */
    public static String describe(Throwable e) {
        int status = statusOf(e);
        if (e instanceof ElasticsearchException es && es.error() != null) {
            String text = status + " " + describe(es.error());
            return status == 401 ? text + " — check the credentials" : text;
        }
        if (status == 401) {
            return "401 unauthorized: Elasticsearch refused the credentials (check the user and password or API key)";
        }
        if (status == 403) {
            // A HEAD request's 403 has no body to say which privilege is missing.
            return "403 forbidden: the user lacks a privilege this call needs (see README, least-privilege role)";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** An error cause and its chain: {@code type (reason), caused by type (reason)}. */
    public static String describe(ErrorCause cause) {
        if (cause == null) {
            return "no reason given";
        }
        String text = cause.type() + (cause.reason() != null ? " (" + cause.reason() + ")" : "");
        if (cause.causedBy() != null) {
            text += ", caused by " + describe(cause.causedBy());
        }
        return text;
    }
}
