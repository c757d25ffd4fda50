package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX {@code Squeeze}: Remove axes of size 1 (opset-13 form; the reader rewrites the attribute
 * one).
 */
final class Squeeze implements Operator {

    @Override
    public String opType() {
        return "Squeeze";
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        long[] s = in[0].getShape().getShape();
        List<Long> keep = new ArrayList<>();
        if (in.length > 1 && in[1] != null) {
            boolean[] drop = new boolean[s.length];
            for (long a : Nd.longs(in[1])) {
                drop[Nd.axis(a, s.length)] = true;
            }
            for (int i = 0; i < s.length; i++) {
                if (!drop[i]) {
                    keep.add(s[i]);
                }
            }
        } else {
            for (long d : s) {
                if (d != 1) {
                    keep.add(d);
                }
            }
        }
        return new NDList(
                in[0].reshape(new Shape(keep.stream().mapToLong(Long::longValue).toArray())));
    }
}
