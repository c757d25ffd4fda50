package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Gather}: Indexing along an axis, negative indices allowed. */
final class Gather implements Operator {

    @Override
    public String opType() {
        return "Gather";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
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
}
