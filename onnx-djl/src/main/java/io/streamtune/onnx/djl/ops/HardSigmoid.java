package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code HardSigmoid}: max(0, min(1, alpha·x + beta)). */
final class HardSigmoid implements Operator {

    @Override
    public String opType() {
        return "HardSigmoid";
    }

    /** Unchanged since opset 6 apart from added element types. */
    @Override
    public int sinceOpset() {
        return 6;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        float alpha = n.attrFloat("alpha", 0.2f);
        float beta = n.attrFloat("beta", 0.5f);
        return new NDList(in[0].mul(alpha).add(beta).clip(0f, 1f));
    }
}
