package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/**
 * ONNX {@code Clip}: Clamp to optional min and max inputs (opset-11 form; the reader rewrites older
 * attributes).
 */
final class Clip implements Operator {

    @Override
    public String opType() {
        return "Clip";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        NDArray y = x;
        if (in.length > 1 && in[1] != null) {
            y = y.maximum(in[1].toType(x.getDataType(), false));
        }
        if (in.length > 2 && in[2] != null) {
            y = y.minimum(in[2].toType(x.getDataType(), false));
        }
        return new NDList(y == x ? x.duplicate() : y);
    }
}
