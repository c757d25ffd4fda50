package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Sub}: Broadcasting subtraction. */
final class Sub implements Operator {

    @Override
    public String opType() {
        return "Sub";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].sub(in[1]));
    }
}
