package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.Arrays;

/**
 * ONNX {@code Unsqueeze}: Insert axes of size 1 (opset-13 form; the reader rewrites the attribute
 * one).
 */
final class Unsqueeze implements Operator {

    @Override
    public String opType() {
        return "Unsqueeze";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        long[] axes = Nd.longs(in[1]);
        int outRank = in[0].getShape().dimension() + axes.length;
        int[] a = new int[axes.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Nd.axis(axes[i], outRank);
        }
        Arrays.sort(a);
        NDArray y = in[0];
        for (int ax : a) {
            y = y.expandDims(ax);
        }
        return new NDList(y);
    }
}
