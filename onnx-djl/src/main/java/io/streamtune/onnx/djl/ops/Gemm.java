package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.List;

/** ONNX {@code Gemm}: alpha·A′·B′ + beta·C with optional transposes. */
final class Gemm implements Operator {

    @Override
    public String opType() {
        return "Gemm";
    }

    @Override
    public List<ParameterRole> parameterRoles() {
        return List.of(
                new ParameterRole(1, Parameter.Type.WEIGHT),
                new ParameterRole(2, Parameter.Type.BIAS),
                new ParameterRole(0, Parameter.Type.WEIGHT));
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray a = in[0];
        NDArray b = in[1];
        if (n.attrInt("transA", 0) != 0) {
            a = a.transpose();
        }
        if (n.attrInt("transB", 0) != 0) {
            b = b.transpose();
        }
        float alpha = n.attrFloat("alpha", 1f);
        float beta = n.attrFloat("beta", 1f);
        NDArray y = a.matMul(b);
        if (alpha != 1f) {
            y = y.mul(alpha);
        }
        if (in.length > 2 && in[2] != null && beta != 0f) {
            y = y.add(beta == 1f ? in[2] : in[2].mul(beta));
        }
        return new NDList(y);
    }
}
