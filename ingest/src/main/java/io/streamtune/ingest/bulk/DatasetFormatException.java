package io.streamtune.ingest.bulk;

/**
 * A dataset cannot be read at all (missing root, unreadable annotation file); per-item problems are
 * not this.
 */
public final class DatasetFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public DatasetFormatException(String message) {
        super(message);
    }

    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
