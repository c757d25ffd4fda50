package io.streamtune.ingest.validate;

import java.util.Locale;

/**
 * Why a sample was refused. {@link #tag()} is the low-cardinality value of the {@code reason}
 * metric tag and of the {@code dlq.reason} header; {@link #httpStatus()} is the status the HTTP API
 * answers with.
 */
public enum RejectReason {
    /** Zero image bytes. */
    EMPTY_IMAGE(400),
    /** Not decodable: broken header, truncated data, bad entropy data. */
    CORRUPT_IMAGE(422),
    /** More encoded bytes than {@code image.max.bytes}. */
    TOO_LARGE(413),
    /** The header claims more pixels than {@code image.max.pixels}. */
    TOO_MANY_PIXELS(413),
    /** Not a JPEG/PNG (or another format enabled by {@code image.formats}). */
    UNSUPPORTED_FORMAT(415),
    /** The label is structurally wrong (bad JSON field, bad class name, too many objects). */
    BAD_LABEL(422),
    /** The class is not known for the model and the class policy does not auto-register it. */
    UNKNOWN_CLASS(422),
    /** Auto-registration would exceed {@code label.classes.max}. */
    TOO_MANY_CLASSES(422),
    /** A box reaches outside the image. */
    BOX_OUT_OF_BOUNDS(422),
    /** A box has zero width or height. */
    BOX_ZERO_AREA(422),
    /** The mask PNG's dimensions differ from the image's. */
    MASK_SIZE_MISMATCH(422),
    /**
     * The mask is not an 8-bit single-channel PNG, or holds a value that is no class index and not
     * 255.
     */
    BAD_MASK(422),
    /**
     * A polygon has fewer than three points, non-finite points, points far outside the image, or no
     * area.
     */
    BAD_POLYGON(422),
    /** The record or request itself cannot be parsed (bad JSON, missing field, bad model name). */
    MALFORMED_RECORD(400),
    /** A bulk-import entry names an image file that does not exist. */
    MISSING_FILE(422),
    /**
     * A bulk-import entry names a file outside the dataset folder (a link out, a path that climbs)
     * or something that is not a regular file; nothing of it is read.
     */
    OUTSIDE_DATASET(422);

    private final int httpStatus;

    RejectReason(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** Whether the sample was refused for its size (bytes or pixels), not its content. */
    public boolean isSize() {
        return this == TOO_LARGE || this == TOO_MANY_PIXELS;
    }

    /** Lower-case tag, e.g. {@code box_out_of_bounds}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** HTTP status for a single-sample request rejected for this reason. */
    public int httpStatus() {
        return httpStatus;
    }
}
