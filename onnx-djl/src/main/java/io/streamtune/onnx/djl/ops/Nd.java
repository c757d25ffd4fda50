package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxTensor;

/** Conversions between IR tensors and DJL arrays, plus indexing helpers shared by kernels. */
public final class Nd {

    private Nd() {}

    /** Creates a DJL array holding an IR tensor's values. */
    public static NDArray toNd(NDManager manager, OnnxTensor t) {
        Shape shape = new Shape(t.shape());
        return switch (t.type()) {
            case FLOAT, DOUBLE -> manager.create(t.floats(), shape);
            case INT64 -> manager.create(t.longs(), shape);
            case INT32 -> {
                int[] v = new int[t.longs().length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (int) t.longs()[i];
                }
                yield manager.create(v, shape);
            }
            case BOOL -> {
                boolean[] v = new boolean[t.longs().length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = t.longs()[i] != 0;
                }
                yield manager.create(v, shape);
            }
            case INT8, UINT8 -> {
                byte[] v = new byte[t.longs().length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (byte) t.longs()[i];
                }
                yield manager.create(
                        java.nio.ByteBuffer.wrap(v),
                        shape,
                        t.type() == ElementType.INT8 ? DataType.INT8 : DataType.UINT8);
            }
        };
    }

    /**
     * Copies a DJL array into an IR tensor (float types as FLOAT, integer types as INT64/INT32).
     */
    public static OnnxTensor fromNd(String name, NDArray a) {
        long[] shape = a.getShape().getShape();
        DataType dt = a.getDataType();
        if (dt.isFloating()) {
            return OnnxTensor.ofFloats(
                    name, shape, a.toType(DataType.FLOAT32, false).toFloatArray());
        }
        if (dt == DataType.BOOLEAN) {
            return new OnnxTensor(
                    name,
                    ElementType.BOOL,
                    shape,
                    null,
                    a.toType(DataType.INT64, false).toLongArray());
        }
        ElementType type = dt == DataType.INT32 ? ElementType.INT32 : ElementType.INT64;
        return new OnnxTensor(
                name, type, shape, null, a.toType(DataType.INT64, false).toLongArray());
    }

    /** The values of a small integer array. */
    public static long[] longs(NDArray a) {
        return a.toType(DataType.INT64, false).toLongArray();
    }

    /** The values of a small float array. */
    public static float[] floats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** Normalises a possibly negative axis. */
    public static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        }
        return (int) a;
    }

    /**
     * Selects {@code index} positions along {@code axis} (index_select semantics, differentiable).
     */
    public static NDArray take(NDArray x, int axis, long[] index) {
        NDArray idx = x.getManager().create(index);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < axis; i++) {
            sb.append(":,");
        }
        sb.append("{}");
        NDArray out = x.get(new NDIndex(sb.toString(), idx));
        return out;
    }

    /** Slices {@code [start, end)} along an axis. */
    public static NDArray slice(NDArray x, int axis, long start, long end) {
        NDIndex idx = new NDIndex();
        for (int i = 0; i < axis; i++) {
            idx.addAllDim();
        }
        idx.addSliceDim(start, end);
        return x.get(idx);
    }

    /** Mean over every axis but 1 (the channel axis), as a 1-D array. */
    public static NDArray channelMean(NDArray x) {
        long c = x.getShape().get(1);
        return x.swapAxes(0, 1).reshape(c, -1).mean(new int[] {1});
    }

    /** Reshapes so that a 1-D vector lines up with {@code axis} of a rank-{@code rank} array. */
    public static NDArray alongAxis(NDArray v, int axis, int rank) {
        long[] s = new long[rank];
        java.util.Arrays.fill(s, 1);
        s[axis] = v.size();
        return v.reshape(new Shape(s));
    }

    /** v limited to [lo, hi]. */
    public static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
