package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Pow}: base to the exponent, broadcasting; the result has the base's element type. */
final class Pow implements Operator {

    @Override
    public String opType() {
        return "Pow";
    }

    /** Broadcasting since opset 7; later opsets added element types. */
    @Override
    public int sinceOpset() {
        return 7;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray exponent =
                in[1].getDataType() == in[0].getDataType()
                        ? in[1]
                        : in[1].toType(in[0].getDataType(), false);
        return new NDList(in[0].pow(exponent));
    }
}
