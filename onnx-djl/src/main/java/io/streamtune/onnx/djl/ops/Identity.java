package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Identity}: The input itself. */
final class Identity implements Operator {

    @Override
    public String opType() {
        return "Identity";
    }

    /** Unchanged since opset 1 apart from added element types. */
    @Override
    public int sinceOpset() {
        return 1;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0]);
    }
}
