package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code GlobalAveragePool}: Mean over all spatial axes, kept as 1s. */
final class GlobalAveragePool implements Operator {

    @Override
    public String opType() {
        return "GlobalAveragePool";
    }

    /** Unchanged since opset 1 apart from added element types. */
    @Override
    public int sinceOpset() {
        return 1;
    }

    @Override
    public NDList run(OpContext ctx, OnnxNode n, NDArray[] in) {
        return new NDList(overSpatialAxes(in[0], false));
    }

    /** The mean (or maximum) of {@code x} over all spatial axes, kept as 1s. */
    static NDArray overSpatialAxes(NDArray x, boolean max) {
        long[] s = x.getShape().getShape();
        long[] kept = s.clone();
        for (int axis = 2; axis < s.length; axis++) {
            kept[axis] = 1;
        }
        NDArray flat = x.reshape(s[0], s[1], -1);
        NDArray pooled = max ? flat.max(new int[] {2}, true) : flat.mean(new int[] {2}, true);
        return pooled.reshape(new Shape(kept));
    }
}
