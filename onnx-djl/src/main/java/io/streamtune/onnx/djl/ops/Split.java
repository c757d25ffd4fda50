package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Split}: Split into given sizes or equal parts. */
final class Split implements Operator {

    @Override
    public String opType() {
        return "Split";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
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
}
