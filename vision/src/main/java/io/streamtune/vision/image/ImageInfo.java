package io.streamtune.vision.image;

import java.util.Objects;

/**
 * What an image header says: its container format and pixel dimensions, read without decoding
 * pixels.
 */
public record ImageInfo(ImageFormat format, int width, int height) {

    public ImageInfo {
        Objects.requireNonNull(format, "format");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "dimensions must be positive: " + width + "x" + height);
        }
    }

    /**
     * Number of pixels, as a long because headers can claim more than {@code Integer.MAX_VALUE}.
     */
    public long pixels() {
        return (long) width * height;
    }
}
