package io.streamtune.vision.image;

import java.util.Locale;
import java.util.Objects;

/**
 * Thrown when image bytes are refused; {@link #reason()} is machine-readable, the message is for
 * people.
 */
public final class ImageRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an image was refused; {@link #tag()} is the value for DLQ headers and metric tags. */
    public enum Reason {
        /** Zero bytes. */
        EMPTY,
        /** More bytes than {@link ImageLimits#maxBytes()}. */
        TOO_LARGE_BYTES,
        /** No image reader recognises the bytes. */
        UNRECOGNIZED,
        /** A recognised format that is not in {@link ImageLimits#allowedFormats()}. */
        UNSUPPORTED_FORMAT,
        /** The header claims more pixels than {@link ImageLimits#maxPixels()}. */
        TOO_MANY_PIXELS,
        /** The header claims a zero or negative dimension. */
        INVALID_DIMENSIONS,
        /** The data ends before the image does (JPEG without EOI, PNG without IEND). */
        TRUNCATED,
        /** A label mask that is not a palette or grey PNG. */
        NOT_A_MASK,
        /** The header or pixel data cannot be decoded. */
        CORRUPT;

        /** Lower-case tag, e.g. {@code too_many_pixels}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
