package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/**
 * ONNX {@code MaxPool}: Max pooling, ONNX padding semantics (pads never win), ceil mode, dilations.
 */
final class MaxPool implements Operator {

    @Override
    public String opType() {
        return "MaxPool";
    }

    @Override
    public NDList run(OpContext ctx, OnnxNode n, NDArray[] in) {
        return ConvSupport.pool(n, in[0], true);
    }
}
