package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
        return new NDList(GlobalAveragePool.overSpatialAxes(in[0], true));
    }
}
