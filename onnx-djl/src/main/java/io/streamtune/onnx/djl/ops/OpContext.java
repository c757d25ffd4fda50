package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDManager;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.function.Predicate;

/**
 * What a kernel may know about the run: the manager for new arrays, training or inference, the
 * graph opset, and which BatchNormalization nodes use batch statistics (and update running ones) in
 * training.
 */
public record OpContext(
        NDManager manager, boolean training, int opset, Predicate<OnnxNode> batchStatistics) {

    /** An inference-mode context. */
    public static OpContext inference(NDManager manager, int opset) {
        return new OpContext(manager, false, opset, n -> false);
    }
}
