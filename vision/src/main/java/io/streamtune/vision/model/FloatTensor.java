package io.streamtune.vision.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A model output copied out of the runtime: row-major values and their shape. The array is shared,
 * not copied; treat it as read-only.
 */
public record FloatTensor(long[] shape, float[] data) {

    public FloatTensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "dimensions must not be negative: " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + n
                            + " values, got "
                            + data.length);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Size of the leading (batch) dimension. */
    public long batch() {
        return shape.length == 0 ? 1 : shape[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor other
                && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
