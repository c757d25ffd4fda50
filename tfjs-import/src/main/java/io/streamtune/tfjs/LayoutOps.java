package io.streamtune.tfjs;

import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.OnnxTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Operators that move, reshape or reduce tensors: each maps TensorFlow axes through the value's
 * layout, so channels-first tensors stay channels-first without a Transpose.
 */
final class LayoutOps {

    private LayoutOps() {}

    static void register(Map<String, TfOp> ops) {
        for (String op : List.of("Identity", "StopGradient", "Snapshot", "IdentityN")) {
            ops.put(op, (c, n) -> c.put(n.name(), c.get(n.input(0))));
        }
        ops.put("Cast", LayoutOps::cast);
        ops.put("Transpose", LayoutOps::transpose);
        ops.put("Reshape", LayoutOps::reshape);
        ops.put("Squeeze", LayoutOps::squeeze);
        ops.put("ExpandDims", LayoutOps::expandDims);
        ops.put("ConcatV2", LayoutOps::concat);
        ops.put("Pad", (c, n) -> pad(c, n, "constant"));
        ops.put("PadV2", (c, n) -> pad(c, n, "constant"));
        ops.put("MirrorPad", (c, n) -> pad(c, n, "reflect"));
        ops.put("Mean", LayoutOps::mean);
        ops.put("ResizeBilinear", (c, n) -> resize(c, n, "linear"));
        ops.put("ResizeNearestNeighbor", (c, n) -> resize(c, n, "nearest"));
        ops.put("SplitV", (c, n) -> split(c, n, 0, 2, c.constant(n, 1, "size_splits").longs()));
        ops.put("Split", (c, n) -> split(c, n, 1, 0, null));
        ops.put("Softmax", LayoutOps::softmax);
        ops.put("MatMul", LayoutOps::matMul);
        ops.put("FusedBatchNorm", LayoutOps::batchNorm);
        ops.put("FusedBatchNormV3", LayoutOps::batchNorm);
    }

    private static TfjsImportException error(Conversion c, TfNode n, String what) {
        return new TfjsImportException(
                c.source() + ": node '" + n.name() + "' (" + n.op() + "): " + what);
    }

    private static void cast(Conversion c, TfNode n) throws TfjsImportException {
        String to = n.type("DstT", "DT_FLOAT");
        Value x = c.get(n.input(0));
        if (to.equals("DT_FLOAT") && x.type() == io.streamtune.onnx.ir.ElementType.FLOAT) {
            c.put(n.name(), x);
            return;
        }
        throw error(
                c,
                n,
                "casting to "
                        + to
                        + " is not supported (is this post-processing? cut the graph before it)");
    }

    private static void transpose(Conversion c, TfNode n) throws TfjsImportException {
        Value x = c.get(n.input(0));
        long[] t = c.constant(n, 1, "perm").longs();
        if (t.length != x.rank()) {
            throw error(c, n, "perm " + Arrays.toString(t) + " for rank " + x.rank());
        }
        int[] tinv = Value.inverse(Arrays.stream(t).mapToInt(v -> (int) v).toArray());
        int[] p = new int[x.rank()];
        long[] shape = new long[x.rank()];
        for (int k = 0; k < p.length; k++) {
            p[k] = tinv[x.perm()[k]];
            shape[k] = x.shape()[(int) t[k]];
        }
        if (x.isConstant()) {
            c.put(
                    n.name(),
                    Value.constant(
                            tfTensor(
                                    Conversion.transposed(
                                            x.constant(),
                                            Arrays.stream(t).mapToInt(v -> (int) v).toArray()),
                                    x.constant().floating())));
            return;
        }
        // Free: the ONNX tensor stays, only the bookkeeping of its layout changes.
        c.put(n.name(), new Value(x.onnxName(), shape, p, x.type(), null));
    }

    private static TfTensor tfTensor(OnnxTensor t, boolean floating) {
        return floating
                ? TfTensor.ofFloats(t.name() + "_T", t.shape(), t.floats())
                : TfTensor.ofInts(t.name() + "_T", t.shape(), t.longs());
    }

    private static void reshape(Conversion c, TfNode n) throws TfjsImportException {
        Value x = c.get(n.input(0));
        long[] target = c.constant(n, 1, "the shape").longs();
        long[] out = resolve(c, n, x.shape(), target);
        long[] onnxShape = target.clone();
        // A batch fixed to 1 by the exporter follows the input's (dynamic) batch instead.
        if (x.rank() > 0 && x.shape()[0] < 0 && onnxShape.length > 0 && onnxShape[0] == 1) {
            onnxShape[0] = 0;
            out[0] = -1;
        }
        String y =
                c.emit(
                        n.name(),
                        "Reshape",
                        List.of(c.tfLayout(x), c.longs(n.name() + "/shape", onnxShape)));
        c.put(n.name(), Conversion.activation(y, out, Value.identity(out.length)));
    }

    private static long[] resolve(Conversion c, TfNode n, long[] in, long[] target)
            throws TfjsImportException {
        long known = 1;
        boolean dynamic = false;
        for (long d : in) {
            if (d < 0) {
                dynamic = true;
            } else {
                known *= d;
            }
        }
        long[] out = target.clone();
        int free = -1;
        long prod = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (free >= 0) {
                    throw error(c, n, "more than one -1 in shape " + Arrays.toString(target));
                }
                free = i;
            } else if (out[i] < 0) {
                throw error(c, n, "invalid shape " + Arrays.toString(target));
            } else {
                prod *= out[i];
            }
        }
        if (free >= 0) {
            out[free] = dynamic || prod == 0 ? -1 : known / prod;
        }
        return out;
    }

    private static void squeeze(Conversion c, TfNode n) throws TfjsImportException {
        Value x = c.get(n.input(0));
        long[] dims = n.ints("squeeze_dims");
        if (dims == null || dims.length == 0) {
            dims = n.ints("axis");
        }
        List<Long> axes = new ArrayList<>();
        if (dims == null || dims.length == 0) {
            for (int i = 0; i < x.rank(); i++) {
                if (x.shape()[i] == 1) {
                    axes.add((long) i);
                }
            }
        } else {
            for (long d : dims) {
                axes.add(d < 0 ? d + x.rank() : d);
            }
        }
        List<Long> shape = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!axes.contains((long) i)) {
                shape.add(x.shape()[i]);
            }
        }
        String y =
                c.emit(
                        n.name(),
                        "Squeeze",
                        List.of(
                                c.tfLayout(x),
                                c.longs(
                                        n.name() + "/axes",
                                        axes.stream().mapToLong(Long::longValue).toArray())));
        long[] s = shape.stream().mapToLong(Long::longValue).toArray();
        c.put(n.name(), Conversion.activation(y, s, Value.identity(s.length)));
    }

    private static void expandDims(Conversion c, TfNode n) throws TfjsImportException {
        Value x = c.get(n.input(0));
        long axis = c.constant(n, 1, "the axis").longs()[0];
        if (axis < 0) {
            axis += x.rank() + 1;
        }
        long[] s = new long[x.rank() + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            s[i] = i == axis ? 1 : x.shape()[j++];
        }
        String y =
                c.emit(
                        n.name(),
                        "Unsqueeze",
                        List.of(c.tfLayout(x), c.longs(n.name() + "/axes", axis)));
        c.put(n.name(), Conversion.activation(y, s, Value.identity(s.length)));
    }

    private static void concat(Conversion c, TfNode n) throws TfjsImportException {
        List<String> ins = n.dataInputs();
        long axis = c.constant(n, ins.size() - 1, "the axis").longs()[0];
        List<Value> vals = new ArrayList<>();
        Value lead = null;
        for (String i : ins.subList(0, ins.size() - 1)) {
            Value v = c.get(i);
            vals.add(v);
            if (lead == null && !v.isConstant()) {
                lead = v;
            }
        }
        if (lead == null) {
            throw error(c, n, "concatenating constants only is not supported");
        }
        int tfAxis = (int) (axis < 0 ? axis + lead.rank() : axis);
        List<String> onnxIns = new ArrayList<>();
        long[] shape = lead.shape().clone();
        shape[tfAxis] = 0;
        for (Value v : vals) {
            onnxIns.add(c.as(v, lead.perm()));
            long d = v.shape()[tfAxis];
            shape[tfAxis] = shape[tfAxis] < 0 || d < 0 ? -1 : shape[tfAxis] + d;
        }
        String y =
                c.emit(
                        n.name(),
                        "Concat",
                        onnxIns,
                        Attribute.of("axis", (long) lead.physicalAxis(tfAxis)));
        c.put(n.name(), Conversion.activation(y, shape, lead.perm()));
    }

    private static void pad(Conversion c, TfNode n, String mode) throws TfjsImportException {
        Value x = c.get(n.input(0));
        long[] p = c.constant(n, 1, "the paddings").longs();
        if (p.length != 2 * x.rank()) {
            throw error(c, n, "paddings for rank " + p.length / 2 + ", input of rank " + x.rank());
        }
        if (n.op().equals("MirrorPad") && !n.string("mode", "REFLECT").equals("REFLECT")) {
            throw error(c, n, "mode " + n.string("mode", "") + " is not supported");
        }
        int r = x.rank();
        long[] pads = new long[2 * r];
        long[] shape = x.shape().clone();
        for (int k = 0; k < r; k++) {
            int tf = x.perm()[k];
            pads[k] = p[2 * tf];
            pads[r + k] = p[2 * tf + 1];
        }
        for (int a = 0; a < r; a++) {
            shape[a] = shape[a] < 0 ? -1 : shape[a] + p[2 * a] + p[2 * a + 1];
        }
        List<String> ins =
                new ArrayList<>(List.of(c.as(x, x.perm()), c.longs(n.name() + "/pads", pads)));
        if (n.op().equals("PadV2")) {
            TfTensor v = c.constant(n, 2, "the constant value");
            ins.add(
                    c.floats(
                            n.name() + "/value",
                            new long[0],
                            v.floating() ? v.floats()[0] : v.ints()[0]));
        }
        String y = c.emit(n.name(), "Pad", ins, Attribute.of("mode", mode));
        c.put(n.name(), Conversion.activation(y, shape, x.perm()));
    }

    private static void mean(Conversion c, TfNode n) throws TfjsImportException {
        Value x = c.get(n.input(0));
        long[] axes = c.constant(n, 1, "the reduction axes").longs();
        boolean keep = n.bool("keep_dims", false);
        Value in =
                keep
                        ? x
                        : new Value(
                                c.tfLayout(x), x.shape(), Value.identity(x.rank()), x.type(), null);
        long[] phys = new long[axes.length];
        long[] shape = x.shape().clone();
        for (int i = 0; i < axes.length; i++) {
            int a = (int) (axes[i] < 0 ? axes[i] + x.rank() : axes[i]);
            phys[i] = in.physicalAxis(a);
            shape[a] = keep ? 1 : -2;
        }
        String y =
                c.emit(
                        n.name(),
                        "ReduceMean",
                        List.of(in.onnxName()),
                        Attribute.ints("axes", phys),
                        Attribute.of("keepdims", keep ? 1L : 0L));
        long[] outShape = Arrays.stream(shape).filter(d -> d != -2).toArray();
        c.put(
                n.name(),
                Conversion.activation(
                        y, outShape, keep ? x.perm() : Value.identity(outShape.length)));
    }

    private static void resize(Conversion c, TfNode n, String mode) throws TfjsImportException {
        Value x = c.get(n.input(0));
        ConvOps.requireRank(c, n, x, 4);
        long[] size = c.constant(n, 1, "the size").longs();
        long ih = x.shape()[1], iw = x.shape()[2];
        if (ih <= 0 || iw <= 0) {
            throw error(c, n, "input height and width must be static");
        }
        boolean align = n.bool("align_corners", false);
        boolean half = n.bool("half_pixel_centers", false);
        String ctm =
                align
                        ? "align_corners"
                        : half
                                ? (mode.equals("nearest") ? "tf_half_pixel_for_nn" : "half_pixel")
                                : "asymmetric";
        String nearest = align ? "round_prefer_ceil" : "floor";
        String scales =
                c.floats(
                        n.name() + "/scales",
                        new long[] {4},
                        1f,
                        1f,
                        (float) size[0] / ih,
                        (float) size[1] / iw);
        String y =
                c.emit(
                        n.name(),
                        "Resize",
                        List.of(c.as(x, Value.NCHW), "", scales),
                        Attribute.of("mode", mode),
                        Attribute.of("coordinate_transformation_mode", ctm),
                        Attribute.of("nearest_mode", nearest));
        c.put(
                n.name(),
                Conversion.activation(
                        y, new long[] {x.shape()[0], size[0], size[1], x.shape()[3]}, Value.NCHW));
    }

    private static void split(Conversion c, TfNode n, int dataInput, int axisInput, long[] sizes)
            throws TfjsImportException {
        Value x = c.get(n.input(dataInput));
        long axis = c.constant(n, axisInput, "the split axis").longs()[0];
        int tfAxis = (int) (axis < 0 ? axis + x.rank() : axis);
        long dim = x.shape()[tfAxis];
        if (sizes == null) {
            long k = n.integer("num_split", 1);
            if (dim < 0 || dim % k != 0) {
                throw error(c, n, "cannot split a dimension of " + dim + " into " + k);
            }
            sizes = new long[(int) k];
            Arrays.fill(sizes, dim / k);
        }
        long rest = dim;
        int free = -1;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == -1) {
                free = i;
            } else {
                rest -= sizes[i];
            }
        }
        if (free >= 0) {
            sizes[free] = rest;
        }
        List<String> outs =
                c.emitMulti(
                        n.name(),
                        "Split",
                        List.of(
                                x.isConstant() ? c.tfLayout(x) : x.onnxName(),
                                c.longs(n.name() + "/split", sizes)),
                        sizes.length,
                        Attribute.of("axis", (long) x.physicalAxis(tfAxis)));
        for (int i = 0; i < sizes.length; i++) {
            long[] s = x.shape().clone();
            s[tfAxis] = sizes[i];
            c.put(
                    i == 0 ? n.name() : n.name() + ":" + i,
                    Conversion.activation(outs.get(i), s, x.perm()));
        }
    }

    private static void softmax(Conversion c, TfNode n) throws TfjsImportException {
        Value x = c.get(n.input(0));
        String y =
                c.emit(
                        n.name(),
                        "Softmax",
                        List.of(x.onnxName()),
                        Attribute.of("axis", (long) x.physicalAxis(-1)));
        c.put(n.name(), Conversion.activation(y, x.shape(), x.perm()));
    }

    private static void matMul(Conversion c, TfNode n) throws TfjsImportException {
        Value a = c.get(n.input(0));
        Value b = c.get(n.input(1));
        if (a.rank() != 2 || b.rank() != 2) {
            throw error(c, n, "only 2-D MatMul is supported");
        }
        int[] ta = n.bool("transpose_a", false) ? new int[] {1, 0} : new int[] {0, 1};
        int[] tb = n.bool("transpose_b", false) ? new int[] {1, 0} : new int[] {0, 1};
        String y = c.emit(n.name(), "MatMul", List.of(c.as(a, ta), c.as(b, tb)));
        c.put(
                n.name(),
                Conversion.activation(
                        y, new long[] {a.shape()[ta[0]], b.shape()[tb[1]]}, Value.identity(2)));
    }

    private static void batchNorm(Conversion c, TfNode n) throws TfjsImportException {
        Value x = c.get(n.input(0));
        ConvOps.requireRank(c, n, x, 4);
        int[] perm = ConvOps.spatialPerm(c, n);
        List<String> ins = new ArrayList<>(List.of(c.as(x, perm)));
        String[] what = {"scale", "offset", "mean", "variance"};
        for (int i = 1; i <= 4; i++) {
            TfTensor t = c.constant(n, i, "the " + what[i - 1]);
            ins.add(
                    c.initializer(
                            n.name() + "/" + what[i - 1],
                            OnnxTensor.ofFloats(t.name(), t.shape(), t.floats())));
        }
        String y =
                c.emit(
                        n.name(),
                        "BatchNormalization",
                        ins,
                        Attribute.of("epsilon", n.real("epsilon", 1e-3f)));
        c.put(n.name(), Conversion.activation(y, x.shape(), perm));
    }
}
