package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Mul}: Broadcasting multiplication. */
final class Mul implements Operator {

    @Override
    public String opType() {
        return "Mul";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].mul(in[1]));
    }
}
