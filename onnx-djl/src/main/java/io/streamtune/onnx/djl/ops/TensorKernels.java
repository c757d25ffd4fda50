package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Element-wise, normalisation, linear-algebra and shape-plumbing kernels. */
final class TensorKernels {

    private TensorKernels() {}

    static NDList add(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].add(in[1]));
    }

    static NDList sub(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].sub(in[1]));
    }

    /**
     * Element-wise equality (no gradient); CenterNet-style peak masks compare a map with its
     * max-pool.
     */
    static NDList equal(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].eq(in[1]));
    }

    static NDList mul(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].mul(in[1]));
    }

    static NDList div(OpContext c, OnnxNode n, NDArray[] in) {
        DataType dt = in[0].getDataType();
        if (dt.isInteger()) {
            // ONNX integer division truncates toward zero; PyTorch's div would return floats.
            NDArray q =
                    in[0].toType(DataType.FLOAT64, false)
                            .div(in[1].toType(DataType.FLOAT64, false));
            return new NDList(q.sign().mul(q.abs().floor()).toType(dt, false));
        }
        return new NDList(in[0].div(in[1]));
    }

    static NDList relu(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].getNDArrayInternal().relu());
    }

    static NDList leakyRelu(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].getNDArrayInternal().leakyRelu(n.attrFloat("alpha", 0.01f)));
    }

    static NDList sigmoid(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].getNDArrayInternal().sigmoid());
    }

    static NDList hardSigmoid(OpContext c, OnnxNode n, NDArray[] in) {
        float alpha = n.attrFloat("alpha", 0.2f);
        float beta = n.attrFloat("beta", 0.5f);
        return new NDList(in[0].mul(alpha).add(beta).clip(0f, 1f));
    }

    static NDList hardSwish(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].mul(in[0].mul(1f / 6f).add(0.5f).clip(0f, 1f)));
    }

    static NDList clip(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        NDArray y = x;
        if (in.length > 1 && in[1] != null) {
            y = y.maximum(in[1].toType(x.getDataType(), false));
        }
        if (in.length > 2 && in[2] != null) {
            y = y.minimum(in[2].toType(x.getDataType(), false));
        }
        return new NDList(y == x ? x.duplicate() : y);
    }

    static NDList tanh(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].getNDArrayInternal().tanh());
    }

    static NDList cast(OpContext c, OnnxNode n, NDArray[] in) {
        DataType to =
                switch (io.streamtune.onnx.ir.ElementType.fromOnnx((int) n.attrInt("to", 1))) {
                    case FLOAT, DOUBLE -> DataType.FLOAT32;
                    case INT64 -> DataType.INT64;
                    case INT32 -> DataType.INT32;
                    case INT8 -> DataType.INT8;
                    case UINT8 -> DataType.UINT8;
                    case BOOL -> DataType.BOOLEAN;
                };
        return new NDList(in[0].getDataType() == to ? in[0] : in[0].toType(to, false));
    }

    static NDList reduceMean(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        int rank = x.getShape().dimension();
        long[] axes = in.length > 1 && in[1] != null ? Nd.longs(in[1]) : n.attrInts("axes");
        boolean keep = n.attrInt("keepdims", 1) != 0;
        if (axes == null || axes.length == 0) {
            if (n.attrInt("noop_with_empty_axes", 0) != 0) {
                return new NDList(x);
            }
            axes = new long[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        }
        int[] sorted =
                Arrays.stream(axes).mapToInt(a -> Nd.axis(a, rank)).distinct().sorted().toArray();
        NDArray y = x;
        for (int i = sorted.length - 1; i >= 0; i--) {
            y = y.mean(new int[] {sorted[i]}, true);
        }
        if (!keep) {
            y = y.squeeze(sorted);
        }
        return new NDList(y);
    }

    static NDList identity(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0]);
    }

    static NDList dropout(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        float ratio = in.length > 1 && in[1] != null ? Nd.floats(in[1])[0] : 0.5f;
        boolean train = c.training() || (in.length > 2 && in[2] != null && Nd.longs(in[2])[0] != 0);
        NDArray y = train && ratio > 0 ? x.getNDArrayInternal().dropout(x, ratio, true).head() : x;
        NDList out = new NDList(y);
        if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()) {
            out.add(
                    train && ratio > 0
                            ? y.neq(0)
                            : x.getManager().ones(x.getShape(), DataType.BOOLEAN));
        }
        return out;
    }

    static NDList batchNorm(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        float eps = n.attrFloat("epsilon", 1e-5f);
        float momentum = n.attrFloat("momentum", 0.9f);
        boolean onnxTraining = n.attrInt("training_mode", 0) != 0 || n.outputs().size() > 1;
        if (onnxTraining) {
            return batchNormOnnxTraining(x, in, eps, momentum, n.outputs().size());
        }
        boolean batchStats = c.training() && c.batchStatistics().test(n);
        // DJL's momentum, like ONNX's, weights the running value (it hands 1 - momentum to
        // PyTorch);
        // in training PyTorch updates the running statistics in place, with the unbiased variance.
        return x.getNDArrayInternal()
                .batchNorm(x, in[3], in[4], in[1], in[2], 1, momentum, eps, batchStats);
    }

    /** ONNX's own training-mode semantics: batch statistics with population variance. */
    private static NDList batchNormOnnxTraining(
            NDArray x, NDArray[] in, float eps, float momentum, int outputs) {
        int rank = x.getShape().dimension();
        NDArray mean = Nd.channelMean(x);
        NDArray centered = x.sub(Nd.alongAxis(mean, 1, rank));
        NDArray var = Nd.channelMean(centered.square());
        NDArray y =
                centered.div(Nd.alongAxis(var.add(eps).sqrt(), 1, rank))
                        .mul(Nd.alongAxis(in[1], 1, rank))
                        .add(Nd.alongAxis(in[2], 1, rank));
        NDList out = new NDList(y);
        if (outputs > 1) {
            out.add(in[3].mul(momentum).add(mean.mul(1 - momentum)));
        }
        if (outputs > 2) {
            out.add(in[4].mul(momentum).add(var.mul(1 - momentum)));
        }
        return out;
    }

    static NDList gemm(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray a = in[0];
        NDArray b = in[1];
        if (n.attrInt("transA", 0) != 0) {
            a = a.transpose();
        }
        if (n.attrInt("transB", 0) != 0) {
            b = b.transpose();
        }
        float alpha = n.attrFloat("alpha", 1f);
        float beta = n.attrFloat("beta", 1f);
        NDArray y = a.matMul(b);
        if (alpha != 1f) {
            y = y.mul(alpha);
        }
        if (in.length > 2 && in[2] != null && beta != 0f) {
            y = y.add(beta == 1f ? in[2] : in[2].mul(beta));
        }
        return new NDList(y);
    }

    static NDList matMul(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].matMul(in[1]));
    }

    static NDList softmax(OpContext c, OnnxNode n, NDArray[] in) {
        int rank = in[0].getShape().dimension();
        return new NDList(in[0].softmax(Nd.axis(n.attrInt("axis", -1), rank)));
    }

    static NDList flatten(OpContext c, OnnxNode n, NDArray[] in) {
        long[] s = in[0].getShape().getShape();
        int rank = s.length;
        long axis = n.attrInt("axis", 1);
        int a = (int) (axis < 0 ? axis + rank : axis);
        long outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= s[i];
        }
        long inner = 1;
        for (int i = a; i < rank; i++) {
            inner *= s[i];
        }
        return new NDList(in[0].reshape(outer, inner));
    }

    static NDList reshape(OpContext c, OnnxNode n, NDArray[] in) {
        long[] target = Nd.longs(in[1]);
        long[] s = in[0].getShape().getShape();
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && !allowZero) {
                target[i] = s[i];
            }
        }
        return new NDList(in[0].reshape(new Shape(target)));
    }

    static NDList transpose(OpContext c, OnnxNode n, NDArray[] in) {
        int rank = in[0].getShape().dimension();
        long[] perm = n.attrInts("perm");
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = perm == null ? rank - 1 - i : (int) perm[i];
        }
        return new NDList(in[0].transpose(p));
    }

    static NDList concat(OpContext c, OnnxNode n, NDArray[] in) {
        int rank = in[0].getShape().dimension();
        NDList list = new NDList();
        for (NDArray a : in) {
            if (a != null) {
                list.add(a);
            }
        }
        return new NDList(NDArrays.concat(list, Nd.axis(n.attrInt("axis", 0), rank)));
    }

    static NDList split(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        int rank = x.getShape().dimension();
        int axis = Nd.axis(n.attrInt("axis", 0), rank);
        long dim = x.getShape().get(axis);
        int parts = n.outputs().size();
        long[] sizes;
        if (in.length > 1 && in[1] != null) {
            sizes = Nd.longs(in[1]);
        } else {
            sizes = new long[parts];
            long each = (dim + parts - 1) / parts;
            long left = dim;
            for (int i = 0; i < parts; i++) {
                sizes[i] = Math.min(each, left);
                left -= sizes[i];
            }
        }
        NDList out = new NDList();
        long start = 0;
        for (long size : sizes) {
            out.add(Nd.slice(x, axis, start, start + size));
            start += size;
        }
        return out;
    }

    static NDList slice(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        long[] shape = x.getShape().getShape();
        int rank = shape.length;
        long[] starts = Nd.longs(in[1]);
        long[] ends = Nd.longs(in[2]);
        long[] axes = in.length > 3 && in[3] != null ? Nd.longs(in[3]) : null;
        long[] steps = in.length > 4 && in[4] != null ? Nd.longs(in[4]) : null;
        long[][] ranges = new long[rank][];
        for (int i = 0; i < starts.length; i++) {
            int axis = Nd.axis(axes == null ? i : axes[i], rank);
            long dim = shape[axis];
            long step = steps == null ? 1 : steps[i];
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (step > 0) {
                s = clamp(s, 0, dim);
                e = clamp(e, 0, dim);
            } else {
                s = clamp(s, 0, dim - 1);
                e = clamp(e, -1, dim - 1);
            }
            ranges[axis] = new long[] {s, e, step};
        }
        for (int axis = 0; axis < rank; axis++) {
            long[] r = ranges[axis];
            if (r != null && r[2] < 0) {
                long dim = shape[axis];
                x = x.flip(axis);
                ranges[axis] = new long[] {dim - 1 - r[0], dim - 1 - r[1], -r[2]};
            }
        }
        NDIndex idx = new NDIndex();
        for (int axis = 0; axis < rank; axis++) {
            long[] r = ranges[axis];
            if (r == null) {
                idx.addAllDim();
            } else {
                idx.addSliceDim(r[0], Math.max(r[0], r[1]), r[2]);
            }
        }
        return new NDList(x.get(idx));
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static NDList shape(OpContext c, OnnxNode n, NDArray[] in) {
        long[] s = in[0].getShape().getShape();
        int rank = s.length;
        long start = n.attrInt("start", 0);
        long end = n.attrInt("end", rank);
        start = clamp(start < 0 ? start + rank : start, 0, rank);
        end = clamp(end < 0 ? end + rank : end, 0, rank);
        long[] v = Arrays.copyOfRange(s, (int) start, (int) Math.max(start, end));
        return new NDList(in[0].getManager().create(v));
    }

    static NDList gather(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray data = in[0];
        long[] ds = data.getShape().getShape();
        int axis = Nd.axis(n.attrInt("axis", 0), ds.length);
        long[] idx = Nd.longs(in[1]);
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0) {
                idx[i] += ds[axis];
            }
        }
        NDArray picked = Nd.take(data, axis, idx);
        long[] is = in[1].getShape().getShape();
        long[] out = new long[ds.length - 1 + is.length];
        int k = 0;
        for (int i = 0; i < axis; i++) {
            out[k++] = ds[i];
        }
        for (long d : is) {
            out[k++] = d;
        }
        for (int i = axis + 1; i < ds.length; i++) {
            out[k++] = ds[i];
        }
        return new NDList(picked.reshape(new Shape(out)));
    }

    static NDList unsqueeze(OpContext c, OnnxNode n, NDArray[] in) {
        long[] axes = Nd.longs(in[1]);
        int outRank = in[0].getShape().dimension() + axes.length;
        int[] a = new int[axes.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Nd.axis(axes[i], outRank);
        }
        Arrays.sort(a);
        NDArray y = in[0];
        for (int ax : a) {
            y = y.expandDims(ax);
        }
        return new NDList(y);
    }

    static NDList squeeze(OpContext c, OnnxNode n, NDArray[] in) {
        long[] s = in[0].getShape().getShape();
        List<Long> keep = new ArrayList<>();
        if (in.length > 1 && in[1] != null) {
            boolean[] drop = new boolean[s.length];
            for (long a : Nd.longs(in[1])) {
                drop[Nd.axis(a, s.length)] = true;
            }
            for (int i = 0; i < s.length; i++) {
                if (!drop[i]) {
                    keep.add(s[i]);
                }
            }
        } else {
            for (long d : s) {
                if (d != 1) {
                    keep.add(d);
                }
            }
        }
        return new NDList(
                in[0].reshape(new Shape(keep.stream().mapToLong(Long::longValue).toArray())));
    }
}
