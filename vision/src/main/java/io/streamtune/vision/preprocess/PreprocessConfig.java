package io.streamtune.vision.preprocess;

import java.util.Objects;

/**
 * Everything needed to turn an image into a model input.
 *
 * @param width model input width in pixels
 * @param height model input height in pixels
 * @param resize stretch or letterbox
 * @param padValue letterbox padding, 0..255
 * @param channels plane order of the input tensor
 * @param normalization mean/std applied after scaling to 0..1
 */
public record PreprocessConfig(
        int width,
        int height,
        ResizeMode resize,
        int padValue,
        ChannelOrder channels,
        Normalization normalization) {

    /** Ultralytics' letterbox padding value. */
    public static final int ULTRALYTICS_PAD = 114;

    public PreprocessConfig {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "input size must be positive: " + width + "x" + height);
        }
        Objects.requireNonNull(resize, "resize");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(normalization, "normalization");
        if (padValue < 0 || padValue > 255) {
            throw new IllegalArgumentException("padValue must be in 0..255: " + padValue);
        }
    }
}
