package io.streamtune.vision.model;

import java.util.Objects;

/**
 * Thrown when a model file cannot be loaded or understood; the message names the file and the
 * cause.
 */
public final class ModelLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;

    public ModelLoadException(String source, String message, Throwable cause) {
        super("cannot load model " + source + ": " + message, cause);
        this.source = Objects.requireNonNull(source, "source");
    }

    public ModelLoadException(String source, String message) {
        this(source, message, null);
    }

    /** The file (or other origin) the model came from. */
    public String source() {
        return source;
    }
}
