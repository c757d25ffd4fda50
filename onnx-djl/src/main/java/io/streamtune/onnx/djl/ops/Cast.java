package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.UnsupportedOperatorException;
import java.util.Set;

/** ONNX {@code Cast}: Conversion between float, double, integer and boolean tensors. */
final class Cast implements Operator {

    @Override
    public String opType() {
        return "Cast";
    }

    @Override
    public void check(OnnxNode n, int opset) throws UnsupportedOperatorException {
        int to = (int) n.attrInt("to", 1);
        if (!Set.of(1, 2, 3, 6, 7, 9, 11).contains(to)) {
            Operators.reject(n, opset, "casting to ONNX type " + to);
        }
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        DataType to =
                switch (io.streamtune.onnx.ir.ElementType.fromOnnx((int) n.attrInt("to", 1))) {
                    case FLOAT, DOUBLE -> DataType.FLOAT32;
                    case INT64 -> DataType.INT64;
                    case INT32 -> DataType.INT32;
                    case INT8 -> DataType.INT8;
                    case UINT8 -> DataType.UINT8;
                    case BOOL -> DataType.BOOLEAN;
                };
        return new NDList(in[0].getDataType() == to ? in[0] : in[0].toType(to, false));
    }
}
