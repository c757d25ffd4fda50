package io.streamtune.trainer.task;

import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trunk the dense heads share: the backbone cut at its deepest feature map, a 3x3 conv, and
 * (when the backbone has a shallower map) that map upsampled, fused with the shallower one and
 * convolved again.
 *
 * @param cut the backbone pruned to the feature maps used
 * @param builder builder extending {@code cut}, for the head's own layers
 * @param features the fused feature tensor, {@code hidden} channels
 * @param stride stride of {@code features} relative to the input
 */
record FusedFeatures(OnnxGraph cut, GraphBuilder builder, String features, int stride) {

    static FusedFeatures build(Backbone backbone, int hidden, long seed) {
        String deep = backbone.deepest();
        int deepStride = backbone.stride(deep);
        String skip = null;
        for (Map.Entry<Integer, String> e : backbone.featuresByStride().entrySet()) {
            if (e.getKey() < deepStride) {
                skip = e.getValue();
            }
        }
        List<TensorInfo> outs = new ArrayList<>();
        outs.add(new TensorInfo(deep, ElementType.FLOAT, null));
        if (skip != null) {
            outs.add(new TensorInfo(skip, ElementType.FLOAT, null));
        }
        OnnxGraph cut = backbone.graph().pruneTo(outs);
        GraphBuilder b = GraphBuilder.extend(cut, "head/", seed);
        String x = convBnRelu(b, deep, backbone.channels(deep), hidden, 3, 1);
        if (skip == null) {
            return new FusedFeatures(cut, b, x, deepStride);
        }
        int skipStride = backbone.stride(skip);
        String up = resize(b, x, (float) deepStride / skipStride);
        long skipCh = Math.max(4, hidden / 2);
        String s = convBnRelu(b, skip, backbone.channels(skip), skipCh, 1, 0);
        String cat = b.op("Concat", List.of(up, s), Attribute.of("axis", 1L));
        return new FusedFeatures(
                cut, b, convBnRelu(b, cat, hidden + skipCh, hidden, 3, 1), skipStride);
    }

    private static String convBnRelu(
            GraphBuilder b, String x, long in, long out, int kernel, int pad) {
        return b.relu(b.batchNorm(b.conv(x, in, out, kernel, 1, pad, 1, false), out));
    }

    /** Bilinear upsampling by {@code scale} (half-pixel centres). */
    static String resize(GraphBuilder b, String x, float scale) {
        String scales =
                b.constant(
                        OnnxTensor.ofFloats(
                                "scales", new long[] {4}, new float[] {1f, 1f, scale, scale}));
        return b.op(
                "Resize",
                List.of(x, "", scales),
                Attribute.of("mode", "linear"),
                Attribute.of("coordinate_transformation_mode", "half_pixel"));
    }
}
