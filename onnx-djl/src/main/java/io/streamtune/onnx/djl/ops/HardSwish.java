package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code HardSwish}: x · HardSigmoid(x) with alpha 1/6, beta 1/2. */
final class HardSwish implements Operator {

    @Override
    public String opType() {
        return "HardSwish";
    }

    @Override
    public int sinceOpset() {
        return 14;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].mul(in[0].mul(1f / 6f).add(0.5f).clip(0f, 1f)));
    }
}
