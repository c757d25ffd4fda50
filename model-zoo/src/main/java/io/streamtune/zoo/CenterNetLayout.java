package io.streamtune.zoo;

import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxTensor;
import java.util.List;

/**
 * The CenterNet head layout and its translation into the YOLOv8 layout streamtune's detection
 * decoder serves: a class heatmap {@code [N, nc, H, W]} of probabilities and the distances from
 * each cell's point {@code (x·stride, y·stride)} to the box sides {@code [N, 4, H, W]} (left, top,
 * right, bottom, input pixels). Used by the zoo for the imported network and by the trainer for
 * networks fine-tuned from it, so both serve through the same graph.
 */
public final class CenterNetLayout {

    /**
     * Metadata key naming a network's CenterNet heads, {@code HEAT,SIDES}: the heatmap
     * (probabilities, or the logits a Sigmoid turns into them) and the side distances.
     */
    public static final String HEADS_KEY = "streamtune.detection.centernet";

    private CenterNetLayout() {}

    /**
     * Appends to {@code b} the ops turning {@code heat} (probabilities) and {@code sides} into
     * {@code [N, 4 + nc, H*W]}: cx, cy, w, h in input pixels, then class scores kept only at 3×3
     * heatmap peaks, as CenterNet's own decoding does. Returns the output tensor.
     */
    public static String toYolo(
            GraphBuilder b, String heat, String sides, int nc, int h, int w, float stride) {
        float[] gx = new float[h * w];
        float[] gy = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                gx[y * w + x] = x * stride;
                gy[y * w + x] = y * stride;
            }
        }
        String peak =
                b.op(
                        "MaxPool",
                        List.of(heat),
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("strides", 1, 1),
                        Attribute.ints("pads", 1, 1, 1, 1));
        String isPeak =
                b.op("Cast", List.of(b.op("Equal", List.of(heat, peak))), Attribute.of("to", 1L));
        String scores =
                b.op(
                        "Reshape",
                        List.of(
                                b.op("Mul", List.of(heat, isPeak)),
                                b.constant(OnnxTensor.vector("shape", 0, nc, -1))));
        String[] side = new String[4];
        for (int k = 0; k < 4; k++) {
            side[k] =
                    b.op(
                            "Slice",
                            List.of(
                                    sides,
                                    b.constant(OnnxTensor.vector("starts", k)),
                                    b.constant(OnnxTensor.vector("ends", k + 1)),
                                    b.constant(OnnxTensor.vector("axes", 1))));
        }
        String half = b.constant(OnnxTensor.ofFloats("half", new long[0], new float[] {0.5f}));
        String gridX = b.constant(OnnxTensor.ofFloats("gx", new long[] {1, 1, h, w}, gx));
        String gridY = b.constant(OnnxTensor.ofFloats("gy", new long[] {1, 1, h, w}, gy));
        String cx =
                b.add(gridX, b.op("Mul", List.of(b.op("Sub", List.of(side[2], side[0])), half)));
        String cy =
                b.add(gridY, b.op("Mul", List.of(b.op("Sub", List.of(side[3], side[1])), half)));
        String bw = b.add(side[0], side[2]);
        String bh = b.add(side[1], side[3]);
        String boxes =
                b.op(
                        "Reshape",
                        List.of(
                                b.op("Concat", List.of(cx, cy, bw, bh), Attribute.of("axis", 1L)),
                                b.constant(OnnxTensor.vector("shape", 0, 4, -1))));
        return b.op("Concat", List.of(boxes, scores), Attribute.of("axis", 1L));
    }
}
