package io.eqlwatch.es;

/** A call to Elasticsearch failed for good (after retries, or at once when retrying would not help). */
public class ElasticsearchCallException extends RuntimeException {

    public ElasticsearchCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
