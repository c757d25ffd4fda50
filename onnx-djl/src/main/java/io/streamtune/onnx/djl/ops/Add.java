package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Add}: Broadcasting addition. */
final class Add implements Operator {

    @Override
    public String opType() {
        return "Add";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].add(in[1]));
    }
}
