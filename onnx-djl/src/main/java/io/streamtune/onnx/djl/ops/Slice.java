package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.streamtune.onnx.ir.OnnxNode;

/**
 * ONNX {@code Slice}: Strided slicing with clamped starts and ends (opset-10 form; the reader
 * rewrites older attributes).
 */
final class Slice implements Operator {

    @Override
    public String opType() {
        return "Slice";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
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
                s = Nd.clamp(s, 0, dim);
                e = Nd.clamp(e, 0, dim);
            } else {
                s = Nd.clamp(s, 0, dim - 1);
                e = Nd.clamp(e, -1, dim - 1);
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
}
