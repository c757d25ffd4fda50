package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.UnsupportedOperatorException;

/** ONNX {@code AveragePool}: Average pooling with or without padding counted. */
final class AveragePool implements Operator {

    @Override
    public String opType() {
        return "AveragePool";
    }

    @Override
    public void check(OnnxNode n, int opset) throws UnsupportedOperatorException {
        long[] d = n.attrInts("dilations");
        if (d != null && java.util.Arrays.stream(d).anyMatch(v -> v != 1)) {
            Operators.reject(n, opset, "dilations other than 1");
        }
    }

    @Override
    public NDList run(OpContext ctx, OnnxNode n, NDArray[] in) {
        return ConvSupport.pool(n, in[0], false);
    }
}
