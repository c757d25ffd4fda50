package io.streamtune.onnx.djl.nets;

import io.streamtune.onnx.ir.BatchNormFolding;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.TensorInfo;

/**
 * Graphs with the exact layer structure of torchvision's ResNet-18 and MobileNetV2 ONNX exports
 * (random weights), either with BatchNorm folded into Conv biases, as PyTorch's exporter emits in
 * eval mode, or with explicit BatchNormalization nodes.
 */
public final class ReferenceNets {

    /** Initial BatchNorm scale on the last norm of each residual branch. */
    private static final float RESIDUAL_GAMMA = 0.2f;

    private ReferenceNets() {}

    /** Whether BatchNorm is folded into the preceding Conv or kept as its own node. */
    public enum BatchNormStyle {
        FOLDED,
        UNFOLDED
    }

    /**
     * torchvision {@code resnet18}: input {@code [N, 3, size, size]} named "input", output
     * "logits".
     */
    public static OnnxGraph resnet18(int size, int classes, BatchNormStyle style, long seed) {
        GraphBuilder b =
                GraphBuilder.newGraph(
                                "resnet18",
                                new TensorInfo(
                                        "input", ElementType.FLOAT, new long[] {-1, 3, size, size}),
                                seed)
                        .randomBatchNormStatistics(true);
        String x = convBn(b, "input", 3, 64, 7, 2, 3, 1);
        x = b.relu(x);
        x = b.maxPool(x, 3, 2, 1);
        long ch = 64;
        long[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < 4; stage++) {
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                long out = widths[stage];
                String identity = x;
                String y = b.relu(convBn(b, x, ch, out, 3, stride, 1, 1));
                y = convBn(b, y, out, out, 3, 1, 1, 1, RESIDUAL_GAMMA);
                if (stride != 1 || ch != out) {
                    identity = convBn(b, x, ch, out, 1, stride, 0, 1);
                }
                x = b.relu(b.add(y, identity));
                ch = out;
            }
        }
        x = b.flatten(b.globalAveragePool(x));
        return finish(b.build(b.gemm(x, 512, classes)), style);
    }

    /** torchvision {@code mobilenet_v2} (width 1.0): input "input", output "logits" tensor. */
    public static OnnxGraph mobilenetV2(int size, int classes, BatchNormStyle style, long seed) {
        GraphBuilder b =
                GraphBuilder.newGraph(
                                "mobilenet_v2",
                                new TensorInfo(
                                        "input", ElementType.FLOAT, new long[] {-1, 3, size, size}),
                                seed)
                        .randomBatchNormStatistics(true);
        String x = b.relu6(convBn(b, "input", 3, 32, 3, 2, 1, 1));
        long ch = 32;
        int[][] settings = {
            {1, 16, 1, 1},
            {6, 24, 2, 2},
            {6, 32, 3, 2},
            {6, 64, 4, 2},
            {6, 96, 3, 1},
            {6, 160, 3, 2},
            {6, 320, 1, 1}
        };
        for (int[] s : settings) {
            for (int i = 0; i < s[2]; i++) {
                int stride = i == 0 ? s[3] : 1;
                long hidden = ch * s[0];
                String y = x;
                if (s[0] != 1) {
                    y = b.relu6(convBn(b, y, ch, hidden, 1, 1, 0, 1));
                }
                y = b.relu6(convBn(b, y, hidden, hidden, 3, stride, 1, (int) hidden));
                boolean residual = stride == 1 && ch == s[1];
                y = convBn(b, y, hidden, s[1], 1, 1, 0, 1, residual ? RESIDUAL_GAMMA : 1f);
                x = residual ? b.add(x, y) : y;
                ch = s[1];
            }
        }
        x = b.relu6(convBn(b, x, ch, 1280, 1, 1, 0, 1));
        x = b.flatten(b.globalAveragePool(x));
        return finish(b.build(b.gemm(x, 1280, classes)), style);
    }

    private static OnnxGraph finish(OnnxGraph g, BatchNormStyle style) {
        return style == BatchNormStyle.FOLDED ? BatchNormFolding.fold(g) : g;
    }

    private static String convBn(
            GraphBuilder b,
            String in,
            long inCh,
            long outCh,
            int k,
            int stride,
            int pad,
            int groups) {
        return convBn(b, in, inCh, outCh, k, stride, pad, groups, 1f);
    }

    private static String convBn(
            GraphBuilder b,
            String in,
            long inCh,
            long outCh,
            int k,
            int stride,
            int pad,
            int groups,
            float gamma) {
        return b.batchNorm(b.conv(in, inCh, outCh, k, stride, pad, groups, false), outCh, gamma);
    }
}
