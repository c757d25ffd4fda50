package io.streamtune.vision.preprocess;

import java.util.Locale;

/** Colour planes of the model's input tensor: three in RGB or BGR order, or one grey plane. */
public enum ChannelOrder {
    RGB,
    BGR,
    /**
     * One plane of luma {@code 0.299 R + 0.587 G + 0.114 B}, for single-channel models; normalized
     * with the first mean/std.
     */
    GRAY;

    /** Number of planes in the input tensor. */
    public int planes() {
        return this == GRAY ? 1 : 3;
    }

    /** Parses {@code RGB}/{@code BGR}/{@code GRAY}, case-insensitive. */
    public static ChannelOrder parse(String value) {
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "RGB" -> RGB;
            case "BGR" -> BGR;
            case "GRAY", "GREY", "L" -> GRAY;
            default -> throw new IllegalArgumentException("unknown channel order: " + value);
        };
    }
}
