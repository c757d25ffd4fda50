package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Concat}: Concatenation along an axis. */
final class Concat implements Operator {

    @Override
    public String opType() {
        return "Concat";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        int rank = in[0].getShape().dimension();
        NDList list = new NDList();
        for (NDArray a : in) {
            if (a != null) {
                list.add(a);
            }
        }
        return new NDList(NDArrays.concat(list, Nd.axis(n.attrInt("axis", 0), rank)));
    }
}
