package io.streamtune.vision.model;

/**
 * A model's image input as declared in its graph, {@code [batch, channels, height, width]}, or
 * {@code [batch, height, width, channels]} when {@code channelsLast} (tf2onnx's exports of
 * TensorFlow models); -1 marks a dynamic dimension. {@code uint8} when the model reads 8-bit pixel
 * values rather than floats (TensorFlow object-detection exports). {@code unbatched} when the graph
 * takes one image without a batch dimension, {@code [channels, height, width]} (torchvision's
 * detection exports): {@code batch} is then 1.
 */
public record InputShape(
        String name,
        long batch,
        int channels,
        int height,
        int width,
        boolean channelsLast,
        boolean uint8,
        boolean unbatched) {

    /** An input with a batch dimension. */
    public InputShape(
            String name,
            long batch,
            int channels,
            int height,
            int width,
            boolean channelsLast,
            boolean uint8) {
        this(name, batch, channels, height, width, channelsLast, uint8, false);
    }

    /** A channels-first float input. */
    public InputShape(String name, long batch, int channels, int height, int width) {
        this(name, batch, channels, height, width, false, false);
    }

    /** A float input. */
    public InputShape(
            String name, long batch, int channels, int height, int width, boolean channelsLast) {
        this(name, batch, channels, height, width, channelsLast, false);
    }

    public InputShape {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("input name must not be empty");
        }
        if (batch == 0 || channels == 0 || height == 0 || width == 0) {
            throw new IllegalArgumentException("dimensions must be positive or -1 (dynamic)");
        }
        if (unbatched && batch != 1) {
            throw new IllegalArgumentException("an input without a batch dimension takes 1 image");
        }
    }

    /** How images are batched, in words: for logs and reports. */
    public String batching() {
        return unbatched
                ? "one image, no batch dimension"
                : dynamicBatch() ? "dynamic batch" : "batch " + batch;
    }

    /** True when any batch size can be run at once. */
    public boolean dynamicBatch() {
        return batch < 0;
    }
}
