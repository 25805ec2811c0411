package io.eqlwatch.schedule;

/** Run state could not be read or written; the run that needed it fails and its checkpoint stays put. */
public class StateStoreException extends RuntimeException {
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
