package io.streamtune.vision.artifact;

import java.util.Locale;
import java.util.Objects;

/** A model file could not be stored, found, read back whole, or did not match its checksum. */
public final class ArtifactException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an artifact operation failed; {@link #tag()} is the value for metric tags. */
    public enum Reason {
        /** No chunk or file exists for the reference. */
        NOT_FOUND,
        /** Some chunks exist but not all of them. */
        INCOMPLETE,
        /** The bytes read back differ from the reference's SHA-256 or size. */
        CHECKSUM_MISMATCH,
        /** The store could not be reached, read or written. */
        IO,
        /** The URI does not belong to any configured store. */
        UNSUPPORTED_URI;

        /** Lower-case tag, e.g. {@code checksum_mismatch}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public ArtifactException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ArtifactException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
