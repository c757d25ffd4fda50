package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code GlobalAveragePool}: Mean over all spatial axes, kept as 1s. */
final class GlobalAveragePool implements Operator {

    @Override
    public String opType() {
        return "GlobalAveragePool";
    }

    /** Unchanged since opset 1 apart from added element types. */
    @Override
    public int sinceOpset() {
        return 1;
    }

    @Override
    public NDList run(OpContext ctx, OnnxNode n, NDArray[] in) {
        int rank = in[0].getShape().dimension();
        int[] axes = new int[rank - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        long[] s = in[0].getShape().getShape();
        long[] kept = s.clone();
        for (int axis : axes) {
            kept[axis] = 1;
        }
        return new NDList(
                in[0].reshape(s[0], s[1], -1).mean(new int[] {2}, true).reshape(new Shape(kept)));
    }
}
