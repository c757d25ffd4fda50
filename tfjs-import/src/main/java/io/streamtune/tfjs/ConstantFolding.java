package io.streamtune.tfjs;

import java.util.Arrays;
import java.util.List;

/**
 * Evaluates nodes whose inputs are all constants (shape arithmetic that converters such as onnx-tf
 * leave in the graph, e.g. {@code SparseToDense} of empty index lists feeding a Reshape), so the
 * operators after them see constants. Only small integer and float arithmetic is folded.
 */
final class ConstantFolding {

    /** Folded values larger than this are left to the graph. */
    private static final long MAX_ELEMENTS = 1 << 16;

    private ConstantFolding() {}

    /** The node's value, or {@code null} when this op is not folded here. */
    static TfTensor fold(TfNode n, List<TfTensor> in) {
        return switch (n.op()) {
            case "Add", "AddV2" -> arithmetic(n, in, '+');
            case "Sub" -> arithmetic(n, in, '-');
            case "Mul" -> arithmetic(n, in, '*');
            case "Cast" -> cast(n, in.get(0));
            case "SparseToDense" -> sparseToDense(n, in);
            case "Pack" -> pack(n, in);
            default -> null;
        };
    }

    private static TfTensor arithmetic(TfNode n, List<TfTensor> in, char op) {
        TfTensor a = in.get(0);
        TfTensor b = in.get(1);
        if (a.floating() != b.floating()) {
            return null;
        }
        long na = TfTensor.size(a.shape());
        long nb = TfTensor.size(b.shape());
        if (!(na == nb && Arrays.equals(a.shape(), b.shape())) && na != 1 && nb != 1) {
            return null;
        }
        long[] shape = na >= nb ? a.shape() : b.shape();
        int count = (int) Math.max(na, nb);
        if (count > MAX_ELEMENTS) {
            return null;
        }
        if (a.floating()) {
            float[] v = new float[count];
            for (int i = 0; i < count; i++) {
                float x = a.floats()[na == 1 ? 0 : i];
                float y = b.floats()[nb == 1 ? 0 : i];
                v[i] = op == '+' ? x + y : op == '-' ? x - y : x * y;
            }
            return TfTensor.ofFloats(n.name(), shape, v);
        }
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
            long x = a.ints()[na == 1 ? 0 : i];
            long y = b.ints()[nb == 1 ? 0 : i];
            v[i] = op == '+' ? x + y : op == '-' ? x - y : x * y;
        }
        return TfTensor.ofInts(n.name(), shape, v);
    }

    private static TfTensor cast(TfNode n, TfTensor x) {
        String to = n.type("DstT", "");
        boolean toFloat = to.equals("DT_FLOAT");
        boolean toInt = to.equals("DT_INT32") || to.equals("DT_INT64");
        if (!toFloat && !toInt) {
            return null;
        }
        int count = (int) TfTensor.size(x.shape());
        if (toFloat) {
            float[] v = new float[count];
            for (int i = 0; i < count; i++) {
                v[i] = x.floating() ? x.floats()[i] : x.ints()[i];
            }
            return TfTensor.ofFloats(n.name(), x.shape(), v);
        }
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
            v[i] = x.floating() ? (long) x.floats()[i] : x.ints()[i];
        }
        return TfTensor.ofInts(n.name(), x.shape(), v);
    }

    private static TfTensor sparseToDense(TfNode n, List<TfTensor> in) {
        TfTensor indices = in.get(0);
        long[] shape = in.get(1).longs();
        TfTensor values = in.get(2);
        TfTensor dflt = in.get(3);
        long size = TfTensor.size(shape);
        if (size > MAX_ELEMENTS || values.floating() != dflt.floating()) {
            return null;
        }
        int rank = shape.length;
        int entries = (int) (indices.shape().length == 0 ? 1 : indices.shape()[0]);
        boolean floating = values.floating();
        float[] f = floating ? new float[(int) size] : null;
        long[] l = floating ? null : new long[(int) size];
        if (floating) {
            Arrays.fill(f, dflt.floats()[0]);
        } else {
            Arrays.fill(l, dflt.ints()[0]);
        }
        long[] idx = indices.longs();
        for (int e = 0; e < entries; e++) {
            long flat = 0;
            for (int d = 0; d < rank; d++) {
                long i = rank == 1 && indices.shape().length <= 1 ? idx[e] : idx[e * rank + d];
                if (i < 0 || i >= shape[d]) {
                    return null;
                }
                flat = flat * shape[d] + i;
            }
            int src = TfTensor.size(values.shape()) == 1 ? 0 : e;
            if (floating) {
                f[(int) flat] = values.floats()[src];
            } else {
                l[(int) flat] = values.ints()[src];
            }
        }
        return floating
                ? TfTensor.ofFloats(n.name(), shape, f)
                : TfTensor.ofInts(n.name(), shape, l);
    }

    private static TfTensor pack(TfNode n, List<TfTensor> in) {
        if (n.integer("axis", 0) != 0
                || in.stream().anyMatch(t -> t.shape().length != 0 || t.floating())) {
            return null;
        }
        long[] v = in.stream().mapToLong(t -> t.ints()[0]).toArray();
        return TfTensor.ofInts(n.name(), new long[] {v.length}, v);
    }
}
