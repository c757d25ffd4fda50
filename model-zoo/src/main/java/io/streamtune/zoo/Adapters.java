package io.streamtune.zoo;

import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import java.util.List;

/**
 * Turns an imported network's raw heads into a layout streamtune's decoders serve, inside the ONNX
 * graph, so inference and evaluation need no per-network code.
 */
final class Adapters {

    /** The name of the adapted output. */
    static final String OUTPUT = "output0";

    private Adapters() {}

    static OnnxGraph adapt(OnnxGraph g, ZooEntry e) throws ZooException {
        return switch (e.adapter()) {
            case CENTERNET_TO_YOLO -> centerNetToYolo(g, e);
            case SIGMOID_TO_TWO_CLASS -> sigmoidToTwoClass(g);
            case NONE -> g;
        };
    }

    /**
     * CenterNet heads — class heatmap {@code [N, nc, H, W]} (sigmoid) and distances to the box
     * sides {@code [N, 4, H, W]} (left, top, right, bottom, input pixels) — become the YOLOv8
     * layout {@code [N, 4 + nc, H*W]}: cx, cy, w, h in input pixels, then class scores. Scores are
     * kept only at 3×3 heatmap peaks, as CenterNet's own decoding does.
     */
    private static OnnxGraph centerNetToYolo(OnnxGraph g, ZooEntry e) throws ZooException {
        TensorInfo heat = g.outputs().get(0);
        TensorInfo sizes = g.outputs().get(1);
        long[] hs = heat.shape();
        if (hs == null
                || hs.length != 4
                || hs[2] <= 0
                || hs[3] <= 0
                || hs[1] != e.classes().size()) {
            throw new ZooException(e.name() + ": unexpected heatmap shape for a CenterNet head");
        }
        int nc = (int) hs[1];
        int h = (int) hs[2];
        int w = (int) hs[3];
        GraphBuilder b = GraphBuilder.extend(g, "yolo_", 0);
        String out =
                CenterNetLayout.toYolo(
                        b, heat.name(), sizes.name(), nc, h, w, (float) e.inputSize() / w);
        return named(b.build(out), out);
    }

    /** {@code p} → {@code [1 - p, p]} along channels. */
    private static OnnxGraph sigmoidToTwoClass(OnnxGraph g) {
        GraphBuilder b = GraphBuilder.extend(g, "seg_", 0);
        String p = g.outputs().get(0).name();
        String one = b.constant(OnnxTensor.ofFloats("one", new long[0], new float[] {1f}));
        String out =
                b.op("Concat", List.of(b.op("Sub", List.of(one, p)), p), Attribute.of("axis", 1L));
        return named(b.build(out), out);
    }

    /** Renames the single output to {@link #OUTPUT} with an Identity. */
    private static OnnxGraph named(OnnxGraph g, String out) {
        List<io.streamtune.onnx.ir.OnnxNode> nodes = new java.util.ArrayList<>(g.nodes());
        nodes.add(
                io.streamtune.onnx.ir.OnnxNode.of(
                        "output0_identity", "Identity", List.of(out), List.of(OUTPUT)));
        TensorInfo o = new TensorInfo(OUTPUT, io.streamtune.onnx.ir.ElementType.FLOAT, null);
        return new OnnxGraph(
                g.name(), g.opset(), g.inputs(), List.of(o), nodes, g.initializers(), g.metadata());
    }
}
