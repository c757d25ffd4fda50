package io.streamtune.trainer.pretrain;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.TensorInfo;

/**
 * The project's own small backbone: five Conv-BN-ReLU blocks at strides 1, 2, 2, 4, 4 (widths
 * 16-64) and a linear classifier.
 */
public final class Backbones {

    /** Mean the backbone's inputs are normalised with (per channel, after scaling to 0..1). */
    public static final String MEAN = "0.5,0.5,0.5";

    /** Standard deviation the backbone's inputs are normalised with. */
    public static final String STD = "0.25,0.25,0.25";

    private Backbones() {}

    /** A freshly initialised network for {@code size}x{@code size} RGB inputs named "input". */
    public static OnnxGraph small(int size, int classes, long seed) {
        if (size % 4 != 0 || size < 8) {
            throw new IllegalArgumentException(
                    "input size must be a multiple of 4 and >= 8: " + size);
        }
        GraphBuilder b =
                GraphBuilder.newGraph(
                        "streamtune-small",
                        new TensorInfo("input", ElementType.FLOAT, new long[] {-1, 3, size, size}),
                        seed);
        String x = block(b, "input", 3, 16, 1);
        x = block(b, x, 16, 32, 2);
        x = block(b, x, 32, 32, 1);
        x = block(b, x, 32, 64, 2);
        x = block(b, x, 64, 64, 1);
        String logits = b.gemm(b.flatten(b.globalAveragePool(x)), 64, classes);
        b.metadata(ModelMetadataKeys.MEAN, MEAN).metadata(ModelMetadataKeys.STD, STD);
        return b.build(logits);
    }

    private static String block(GraphBuilder b, String in, long inCh, long outCh, int stride) {
        return b.relu(b.batchNorm(b.conv(in, inCh, outCh, 3, stride, 1, 1, false), outCh));
    }
}
