package io.streamtune.onnx.djl.graft;

import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;

/**
 * Ready-made heads grafted onto a cut backbone; for anything else use {@link GraphBuilder#extend}.
 */
public final class Heads {

    private Heads() {}

    /**
     * A classification head: GlobalAveragePool→Flatten→Gemm for a 4-D feature map, or Gemm alone
     * for 2-D features. The backbone must have been cut at {@code feature} (its single output).
     */
    public static OnnxGraph classifier(
            OnnxGraph backbone,
            String feature,
            long channels,
            int classes,
            boolean spatial,
            long seed) {
        GraphBuilder b = GraphBuilder.extend(backbone, "head/", seed);
        String x = feature;
        if (spatial) {
            x = b.flatten(b.globalAveragePool(x));
        }
        return b.build(b.gemm(x, channels, classes));
    }

    /** A dense-prediction head: Conv3×3→BN→ReLU→Conv1×1 to {@code classes} channels (logits). */
    public static OnnxGraph convHead(
            OnnxGraph backbone,
            String feature,
            long channels,
            long hidden,
            int classes,
            long seed) {
        GraphBuilder b = GraphBuilder.extend(backbone, "head/", seed);
        String x =
                b.relu(b.batchNorm(b.conv(feature, channels, hidden, 3, 1, 1, 1, false), hidden));
        return b.build(b.conv(x, hidden, classes, 1, 1, 0, 1, true));
    }
}
