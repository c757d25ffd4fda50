package io.streamtune.onnx.ir;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named constant tensor (an initializer): floating values in {@code floats}, integral ones in
 * {@code longs}, row-major.
 */
public record OnnxTensor(
        String name, ElementType type, long[] shape, float[] floats, long[] longs) {

    public OnnxTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
        long n = size(shape);
        if (type.isIntegral()) {
            Objects.requireNonNull(longs, "longs");
            if (longs.length != n) {
                throw new IllegalArgumentException(
                        name + ": " + longs.length + " values for shape " + Arrays.toString(shape));
            }
            floats = null;
        } else {
            Objects.requireNonNull(floats, "floats");
            if (floats.length != n) {
                throw new IllegalArgumentException(
                        name
                                + ": "
                                + floats.length
                                + " values for shape "
                                + Arrays.toString(shape));
            }
            longs = null;
        }
    }

    /** A float32 tensor; the array is used as is (not copied). */
    public static OnnxTensor ofFloats(String name, long[] shape, float[] values) {
        return new OnnxTensor(name, ElementType.FLOAT, shape, values, null);
    }

    /** An int64 tensor; the array is used as is (not copied). */
    public static OnnxTensor ofLongs(String name, long[] shape, long... values) {
        return new OnnxTensor(name, ElementType.INT64, shape, null, values);
    }

    /** A 1-D int64 tensor. */
    public static OnnxTensor vector(String name, long... values) {
        return ofLongs(name, new long[] {values.length}, values);
    }

    /** The same values under another name. */
    public OnnxTensor renamed(String newName) {
        return new OnnxTensor(newName, type, shape, floats, longs);
    }

    /** Number of elements. */
    public long elementCount() {
        return size(shape);
    }

    /** Number of elements of a shape. */
    public static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return "OnnxTensor[" + name + " " + type + " " + Arrays.toString(shape) + "]";
    }
}
