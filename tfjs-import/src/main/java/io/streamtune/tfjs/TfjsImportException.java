package io.streamtune.tfjs;

/**
 * A TensorFlow.js model that cannot be read or converted: the message names the file, node or
 * weight at fault and, for unsupported operators, what to do about it.
 */
public class TfjsImportException extends Exception {

    private static final long serialVersionUID = 1L;

    public TfjsImportException(String message) {
        super(message);
    }

    public TfjsImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
