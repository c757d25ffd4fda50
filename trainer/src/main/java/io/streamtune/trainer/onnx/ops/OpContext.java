package io.streamtune.trainer.onnx.ops;

import io.streamtune.trainer.onnx.ir.OnnxNode;
import java.util.function.Predicate;

/**
 * What a kernel may know about the run: training or inference, the graph opset, and which
 * BatchNormalization nodes use batch statistics (and update running ones) in training.
 */
public record OpContext(boolean training, int opset, Predicate<OnnxNode> batchStatistics) {

  /** An inference-mode context. */
  public static OpContext inference(int opset) {
    return new OpContext(false, opset, n -> false);
  }
}
