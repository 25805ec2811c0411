package io.eqlwatch.alert;

import java.io.IOException;

/** The alerts index cannot be prepared; the message says what to do about it. */
public class AlertIndexException extends IOException {

    public AlertIndexException(String message) {
        super(message);
    }

    public AlertIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
