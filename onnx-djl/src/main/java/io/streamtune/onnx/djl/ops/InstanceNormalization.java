package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.List;

/**
 * ONNX {@code InstanceNormalization}: every channel of every sample normalised over its spatial
 * axes with the population variance, then scaled and shifted per channel (the normalisation of
 * image-transformation networks; no running statistics, the same in training and inference).
 */
final class InstanceNormalization implements Operator {

    @Override
    public String opType() {
        return "InstanceNormalization";
    }

    @Override
    public int sinceOpset() {
        return 6;
    }

    @Override
    public List<ParameterRole> parameterRoles() {
        return ParameterRole.SCALE_AND_SHIFT;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        float eps = n.attrFloat("epsilon", 1e-5f);
        int rank = x.getShape().dimension();
        ai.djl.ndarray.types.Shape shape = x.getShape();
        // PyTorch's DJL mean takes one axis: flatten the spatial axes into one
        NDArray flat = x.reshape(shape.get(0), shape.get(1), -1);
        NDArray centered = LayerNormalization.standardized(flat, 2, eps)[0].reshape(shape);
        NDArray y = centered.mul(Nd.alongAxis(in[1], 1, rank)).add(Nd.alongAxis(in[2], 1, rank));
        return new NDList(y);
    }
}
