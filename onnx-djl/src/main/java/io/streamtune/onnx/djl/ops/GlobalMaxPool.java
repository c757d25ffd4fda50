package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code GlobalMaxPool}: maximum over all spatial axes, kept as 1s. */
final class GlobalMaxPool implements Operator {

    @Override
    public String opType() {
        return "GlobalMaxPool";
    }

    /** Unchanged since opset 1 apart from added element types. */
    @Override
    public int sinceOpset() {
        return 1;
    }

    @Override
    public NDList run(OpContext ctx, OnnxNode n, NDArray[] in) {
        long[] s = in[0].getShape().getShape();
        long[] kept = s.clone();
        for (int axis = 2; axis < s.length; axis++) {
            kept[axis] = 1;
        }
        return new NDList(
                in[0].reshape(s[0], s[1], -1).max(new int[] {2}, true).reshape(new Shape(kept)));
    }
}
