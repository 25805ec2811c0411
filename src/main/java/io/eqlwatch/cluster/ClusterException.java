package io.eqlwatch.cluster;

/** The cluster's database cannot be used; the message says which database and why, never a password. */
public final class ClusterException extends RuntimeException {

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }

    public ClusterException(String message) {
        super(message);
    }
}
