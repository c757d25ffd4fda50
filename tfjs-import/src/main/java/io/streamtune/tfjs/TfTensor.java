package io.streamtune.tfjs;

import java.util.Arrays;
import java.util.Objects;

/**
 * A constant of a TensorFlow.js model, dequantized: floating values in {@code floats}, integral or
 * boolean ones in {@code ints}, row-major in the TensorFlow (channels-last) layout.
 */
public record TfTensor(String name, boolean floating, long[] shape, float[] floats, long[] ints) {

    public TfTensor {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
        long n = size(shape);
        if ((floating ? floats.length : ints.length) != n) {
            throw new IllegalArgumentException(
                    name + ": value count does not match shape " + Arrays.toString(shape));
        }
    }

    public static TfTensor ofFloats(String name, long[] shape, float[] v) {
        return new TfTensor(name, true, shape, v, null);
    }

    public static TfTensor ofInts(String name, long[] shape, long[] v) {
        return new TfTensor(name, false, shape, null, v);
    }

    /** Number of elements of a shape. */
    public static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The values as longs (integral tensors only). */
    public long[] longs() {
        if (floating) {
            throw new IllegalStateException(name + " is not an integer tensor");
        }
        return ints.clone();
    }
}
