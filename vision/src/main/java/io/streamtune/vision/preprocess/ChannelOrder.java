package io.streamtune.vision.preprocess;

import java.util.Locale;

/** Order of the three colour planes in the model's input tensor. */
public enum ChannelOrder {
    RGB,
    BGR;

    /** Parses {@code RGB}/{@code BGR}, case-insensitive. */
    public static ChannelOrder parse(String value) {
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "RGB" -> RGB;
            case "BGR" -> BGR;
            default -> throw new IllegalArgumentException("unknown channel order: " + value);
        };
    }
}
