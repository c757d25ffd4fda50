package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.Arrays;

/**
 * ONNX {@code Shape} (named ShapeOf so it does not hide DJL's Shape): The input shape, optionally a
 * start..end range of it (opset 15).
 */
final class ShapeOf implements Operator {

    @Override
    public String opType() {
        return "Shape";
    }

    /** Unchanged since opset 1 apart from added element types. */
    @Override
    public int sinceOpset() {
        return 1;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        long[] s = in[0].getShape().getShape();
        int rank = s.length;
        long start = n.attrInt("start", 0);
        long end = n.attrInt("end", rank);
        start = Nd.clamp(start < 0 ? start + rank : start, 0, rank);
        end = Nd.clamp(end < 0 ? end + rank : end, 0, rank);
        long[] v = Arrays.copyOfRange(s, (int) start, (int) Math.max(start, end));
        return new NDList(in[0].getManager().create(v));
    }
}
