package io.streamtune.zoo;

/**
 * A zoo model that cannot be fetched, verified or converted; the message is one line with the fix.
 */
public class ZooException extends Exception {

    private static final long serialVersionUID = 1L;

    public ZooException(String message) {
        super(message);
    }

    public ZooException(String message, Throwable cause) {
        super(message, cause);
    }
}
