package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Tanh}: Hyperbolic tangent. */
final class Tanh implements Operator {

    @Override
    public String opType() {
        return "Tanh";
    }

    /** Unchanged since opset 6 apart from added element types. */
    @Override
    public int sinceOpset() {
        return 6;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].getNDArrayInternal().tanh());
    }
}
