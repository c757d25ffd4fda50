package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.streamtune.onnx.ir.OnnxNode;

/**
 * ONNX {@code Dropout}: Identity in inference; inverted dropout in training when a mask is asked
 * for or training_mode is set.
 */
final class Dropout implements Operator {

    @Override
    public String opType() {
        return "Dropout";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        float ratio = in.length > 1 && in[1] != null ? Nd.floats(in[1])[0] : 0.5f;
        boolean train = c.training() || (in.length > 2 && in[2] != null && Nd.longs(in[2])[0] != 0);
        NDArray y = train && ratio > 0 ? x.getNDArrayInternal().dropout(x, ratio, true).head() : x;
        NDList out = new NDList(y);
        if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()) {
            out.add(
                    train && ratio > 0
                            ? y.neq(0)
                            : x.getManager().ones(x.getShape(), DataType.BOOLEAN));
        }
        return out;
    }
}
