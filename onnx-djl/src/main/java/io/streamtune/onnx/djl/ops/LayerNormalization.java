package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.List;

/**
 * ONNX {@code LayerNormalization} (opset 17): each sample normalised over the axes from {@code
 * axis} on with the population variance, then scaled and shifted element-wise (ConvNeXt's and the
 * vision transformers' normalisation). Optional outputs: the mean and the inverse standard
 * deviation, with the normalised axes kept as 1s.
 */
final class LayerNormalization implements Operator {

    @Override
    public String opType() {
        return "LayerNormalization";
    }

    @Override
    public int sinceOpset() {
        return 17;
    }

    @Override
    public List<ParameterRole> parameterRoles() {
        return ParameterRole.SCALE_AND_SHIFT;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        Shape shape = x.getShape();
        int rank = shape.dimension();
        int axis = (int) n.attrInt("axis", -1);
        if (axis < 0) {
            axis += rank;
        }
        float eps = n.attrFloat("epsilon", 1e-5f);
        long outer = 1;
        long[] kept = shape.getShape().clone();
        for (int i = 0; i < rank; i++) {
            if (i < axis) {
                outer *= kept[i];
            } else {
                kept[i] = 1;
            }
        }
        // DJL's mean on PyTorch takes one axis: flatten the normalised axes into one
        NDArray[] st = standardized(x.reshape(outer, -1), 1, eps);
        NDArray mean = st[1];
        NDArray inv = st[2];
        NDArray y = st[0].reshape(shape).mul(in[1]);
        if (in.length > 2 && in[2] != null) {
            y = y.add(in[2]);
        }
        NDList out = new NDList(y);
        if (n.outputs().size() > 1) {
            out.add(mean.reshape(new Shape(kept)));
        }
        if (n.outputs().size() > 2) {
            out.add(inv.reshape(new Shape(kept)));
        }
        return out;
    }

    /**
     * {@code x} standardised along {@code axis} with the population variance: the standardised
     * values, the mean and the inverse standard deviation (both with the axis kept as 1).
     */
    static NDArray[] standardized(NDArray x, int axis, float eps) {
        NDArray mean = x.mean(new int[] {axis}, true);
        NDArray centered = x.sub(mean);
        NDArray inv =
                centered.square()
                        .mean(new int[] {axis}, true)
                        .add(eps)
                        .sqrt()
                        .getNDArrayInternal()
                        .rdiv(1f);
        return new NDArray[] {centered.mul(inv), mean, inv};
    }
}
