package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.List;

/** ONNX {@code MatMul}: NumPy-style matrix product. */
final class MatMul implements Operator {

    @Override
    public String opType() {
        return "MatMul";
    }

    @Override
    public List<ParameterRole> parameterRoles() {
        return List.of(
                new ParameterRole(0, Parameter.Type.WEIGHT),
                new ParameterRole(1, Parameter.Type.WEIGHT));
    }

    /** Unchanged since opset 1 apart from added element types. */
    @Override
    public int sinceOpset() {
        return 1;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(in[0].matMul(in[1]));
    }
}
