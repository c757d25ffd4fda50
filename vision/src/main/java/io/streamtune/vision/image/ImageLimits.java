package io.streamtune.vision.image;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Limits an image must meet before its pixels are decoded.
 *
 * @param maxBytes largest accepted encoded size in bytes
 * @param maxPixels largest accepted width × height, checked from the header
 * @param allowedFormats container formats accepted; others are refused as unsupported
 */
public record ImageLimits(long maxBytes, long maxPixels, Set<ImageFormat> allowedFormats) {

    /** 20 MiB. */
    public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;

    /** 40 megapixels: a 8K frame fits, a decompression bomb does not. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    public ImageLimits {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
        }
        Objects.requireNonNull(allowedFormats, "allowedFormats");
        if (allowedFormats.isEmpty()) {
            throw new IllegalArgumentException("allowedFormats must not be empty");
        }
        allowedFormats = Set.copyOf(allowedFormats);
    }

    /** JPEG, PNG and WebP, {@link #DEFAULT_MAX_BYTES}, {@link #DEFAULT_MAX_PIXELS}. */
    public static ImageLimits defaults() {
        return new ImageLimits(
                DEFAULT_MAX_BYTES,
                DEFAULT_MAX_PIXELS,
                EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.WEBP));
    }
}
