package io.streamtune.tfjs;

import io.streamtune.onnx.ir.ElementType;
import java.util.Arrays;

/**
 * A TensorFlow tensor during conversion: its TensorFlow shape ({@code -1} = dynamic), and where it
 * lives in the ONNX graph — the ONNX tensor {@code onnxName} holds {@code transpose(tf, perm)}, so
 * an NHWC activation kept as NCHW has {@code perm = [0,3,1,2]}. Constants carry their value and are
 * written to the ONNX graph only in the layout a consumer asks for.
 */
record Value(String onnxName, long[] shape, int[] perm, ElementType type, TfTensor constant) {

    static final int[] NCHW = {0, 3, 1, 2};

    Value {
        shape = shape.clone();
        perm = perm.clone();
        if (perm.length != shape.length) {
            throw new IllegalArgumentException(
                    "perm " + Arrays.toString(perm) + " for shape " + Arrays.toString(shape));
        }
    }

    static Value constant(TfTensor t) {
        return new Value(
                null,
                t.shape(),
                identity(t.shape().length),
                t.floating() ? ElementType.FLOAT : ElementType.INT64,
                t);
    }

    boolean isConstant() {
        return constant != null;
    }

    int rank() {
        return shape.length;
    }

    /** The ONNX (physical) axis holding TensorFlow axis {@code tfAxis}. */
    int physicalAxis(int tfAxis) {
        int a = tfAxis < 0 ? tfAxis + rank() : tfAxis;
        for (int k = 0; k < perm.length; k++) {
            if (perm[k] == a) {
                return k;
            }
        }
        throw new IllegalArgumentException("axis " + tfAxis + " out of range for rank " + rank());
    }

    /** The shape of the ONNX tensor. */
    long[] physicalShape() {
        long[] s = new long[shape.length];
        for (int k = 0; k < s.length; k++) {
            s[k] = shape[perm[k]];
        }
        return s;
    }

    static int[] identity(int rank) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = i;
        }
        return p;
    }

    static int[] inverse(int[] p) {
        int[] inv = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            inv[p[i]] = i;
        }
        return inv;
    }

    boolean isIdentityLayout() {
        return Arrays.equals(perm, identity(perm.length));
    }
}
