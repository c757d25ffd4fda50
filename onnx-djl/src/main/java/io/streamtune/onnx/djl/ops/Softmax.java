package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/**
 * ONNX {@code Softmax}: Softmax along one axis (opset-13 form; the reader rewrites the older
 * flattening one).
 */
final class Softmax implements Operator {

    @Override
    public String opType() {
        return "Softmax";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        int rank = in[0].getShape().dimension();
        return new NDList(in[0].softmax(Nd.axis(n.attrInt("axis", -1), rank)));
    }
}
