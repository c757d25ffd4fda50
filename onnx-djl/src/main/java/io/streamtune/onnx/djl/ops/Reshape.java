package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Reshape}: Reshape with 0 (copy) and -1 (infer) entries. */
final class Reshape implements Operator {

    @Override
    public String opType() {
        return "Reshape";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        long[] target = Nd.longs(in[1]);
        long[] s = in[0].getShape().getShape();
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && !allowZero) {
                target[i] = s[i];
            }
        }
        return new NDList(in[0].reshape(new Shape(target)));
    }
}
