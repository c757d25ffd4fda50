package io.streamtune.vision.preprocess;

import java.util.Locale;

/** How a source image is fitted to the model's input size. */
public enum ResizeMode {
    /** Plain resize to the input size; aspect ratio is not kept. */
    STRETCH,
    /**
     * Aspect-preserving resize, centred, the rest padded with a constant value (Ultralytics style).
     */
    LETTERBOX;

    /** Parses {@code stretch}/{@code letterbox}, case-insensitive. */
    public static ResizeMode parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "stretch", "resize" -> STRETCH;
            case "letterbox" -> LETTERBOX;
            default -> throw new IllegalArgumentException("unknown resize mode: " + value);
        };
    }
}
