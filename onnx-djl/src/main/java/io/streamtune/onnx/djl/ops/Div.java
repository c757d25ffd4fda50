package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Div}: Broadcasting division (integer division truncates, as ONNX does). */
final class Div implements Operator {

    @Override
    public String opType() {
        return "Div";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        DataType dt = in[0].getDataType();
        if (dt.isInteger()) {
            // ONNX integer division truncates toward zero; PyTorch's div would return floats.
            NDArray q =
                    in[0].toType(DataType.FLOAT64, false)
                            .div(in[1].toType(DataType.FLOAT64, false));
            return new NDList(q.sign().mul(q.abs().floor()).toType(dt, false));
        }
        return new NDList(in[0].div(in[1]));
    }
}
