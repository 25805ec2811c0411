package io.eqlwatch.es;

/** A local Elasticsearch could not be found, unpacked, started or stopped; the message says which and why. */
public class LocalElasticsearchException extends RuntimeException {

    public LocalElasticsearchException(String message) {
        super(message);
    }

    public LocalElasticsearchException(String message, Throwable cause) {
        super(message, cause);
    }
}
