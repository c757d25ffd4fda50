package io.streamtune.vision.model;

/**
 * A model's image input as declared in its graph, {@code [batch, channels, height, width]}; -1
 * marks a dynamic dimension.
 */
public record InputShape(String name, long batch, int channels, int height, int width) {

    public InputShape {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("input name must not be empty");
        }
        if (batch == 0 || channels == 0 || height == 0 || width == 0) {
            throw new IllegalArgumentException("dimensions must be positive or -1 (dynamic)");
        }
    }

    /** True when any batch size can be run at once. */
    public boolean dynamicBatch() {
        return batch < 0;
    }
}
