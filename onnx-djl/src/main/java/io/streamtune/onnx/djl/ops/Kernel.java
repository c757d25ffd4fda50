package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;

/** Runs one ONNX node on DJL arrays; absent optional inputs are {@code null}. */
@FunctionalInterface
public interface Kernel {

    /** Computes the node's outputs in order. */
    NDList run(OpContext ctx, OnnxNode node, NDArray[] inputs);
}
