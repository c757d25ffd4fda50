package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.Arrays;

/** ONNX {@code ReduceMean}: Mean over axes given as attribute (before opset 18) or input. */
final class ReduceMean implements Operator {

    @Override
    public String opType() {
        return "ReduceMean";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        int rank = x.getShape().dimension();
        long[] axes = in.length > 1 && in[1] != null ? Nd.longs(in[1]) : n.attrInts("axes");
        boolean keep = n.attrInt("keepdims", 1) != 0;
        if (axes == null || axes.length == 0) {
            if (n.attrInt("noop_with_empty_axes", 0) != 0) {
                return new NDList(x);
            }
            axes = new long[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        }
        int[] sorted =
                Arrays.stream(axes).mapToInt(a -> Nd.axis(a, rank)).distinct().sorted().toArray();
        NDArray y = x;
        for (int i = sorted.length - 1; i >= 0; i--) {
            y = y.mean(new int[] {sorted[i]}, true);
        }
        if (!keep) {
            y = y.squeeze(sorted);
        }
        return new NDList(y);
    }
}
