package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** ONNX {@code Transpose}: Axis permutation (reversed when perm is absent). */
final class Transpose implements Operator {

    @Override
    public String opType() {
        return "Transpose";
    }

    /** Unchanged since opset 1 apart from added element types. */
    @Override
    public int sinceOpset() {
        return 1;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        int rank = in[0].getShape().dimension();
        long[] perm = n.attrInts("perm");
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = perm == null ? rank - 1 - i : (int) perm[i];
        }
        return new NDList(in[0].transpose(p));
    }
}
