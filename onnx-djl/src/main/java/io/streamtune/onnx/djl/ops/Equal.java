package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/**
 * ONNX {@code Equal}: Element-wise equality (no gradient); CenterNet-style peak masks compare a map
 * with its max-pool.
 */
final class Equal implements Operator {

    @Override
    public String opType() {
        return "Equal";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].eq(in[1]));
    }
}
