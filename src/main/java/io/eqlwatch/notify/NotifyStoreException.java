package io.eqlwatch.notify;

/** The notification outbox in Elasticsearch could not be read or written. */
public final class NotifyStoreException extends RuntimeException {
    public NotifyStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
