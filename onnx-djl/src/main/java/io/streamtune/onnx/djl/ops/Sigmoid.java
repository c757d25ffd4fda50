package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Sigmoid}: The logistic function. */
final class Sigmoid implements Operator {

    @Override
    public String opType() {
        return "Sigmoid";
    }

    /** Unchanged since opset 6 apart from added element types. */
    @Override
    public int sinceOpset() {
        return 6;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].getNDArrayInternal().sigmoid());
    }
}
