package io.eqlwatch.source;

/** An event file that cannot be read at all (missing, or not JSON from some point on); the message says where. */
public class EventFileException extends RuntimeException {
    public EventFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
