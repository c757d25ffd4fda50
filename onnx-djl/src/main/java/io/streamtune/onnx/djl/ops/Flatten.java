package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Flatten}: To 2-D at an axis. */
final class Flatten implements Operator {

    @Override
    public String opType() {
        return "Flatten";
    }

    /** Unchanged since opset 1 apart from added element types. */
    @Override
    public int sinceOpset() {
        return 1;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
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
}
