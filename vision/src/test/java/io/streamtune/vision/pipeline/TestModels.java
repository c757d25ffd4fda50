package io.streamtune.vision.pipeline;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.streamtune.onnx.testkit.OnnxProtos;
import java.util.List;
import java.util.Map;

/** Small real ONNX models whose outputs are known functions of their input pixels. */
final class TestModels {

    private static final int FLOAT = TensorProto.DataType.FLOAT.getNumber();

    private TestModels() {}

    /**
     * Input {@code [1, 3, 4, 8]} reshaped to a YOLO output {@code [1, 6, 16]}, score rows scaled by
     * 1/255: anchor a (x = a % 8, y = a / 8) takes cx from R at (x, y), cy from R at (x, y + 2), w
     * and h from G at those pixels, the two class scores from B / 255 at those pixels.
     */
    static byte[] detection(Map<String, String> metadata) {
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("detect")
                        .addInput(OnnxProtos.value("images", 1, 3, 4, 8))
                        .addInitializer(OnnxProtos.longs("shape", 1, 6, 16))
                        .addInitializer(
                                OnnxProtos.floats(
                                        "scale",
                                        new float[] {1, 1, 1, 1, 1 / 255f, 1 / 255f},
                                        1,
                                        6,
                                        1))
                        .addNode(OnnxProtos.node("Reshape", List.of("images", "shape"), "flat"))
                        .addNode(OnnxProtos.node("Mul", List.of("flat", "scale"), "output0"))
                        .addOutput(OnnxProtos.value("output0", 1, 6, 16))
                        .build();
        return OnnxProtos.model(graph, metadata).toByteArray();
    }

    /**
     * Input {@code [1, 3, 4, 8]} reshaped to final detections {@code [1, 16, 6]}: row r holds the
     * input values 6r..6r+5 in CHW order (row 0 is the red plane's first six pixels of row 0).
     */
    static byte[] finalDetections(Map<String, String> metadata) {
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("end2end")
                        .addInput(OnnxProtos.value("images", 1, 3, 4, 8))
                        .addInitializer(OnnxProtos.longs("shape", 1, 16, 6))
                        .addNode(OnnxProtos.node("Reshape", List.of("images", "shape"), "output0"))
                        .addOutput(OnnxProtos.value("output0", 1, 16, 6))
                        .build();
        return OnnxProtos.model(graph, metadata).toByteArray();
    }

    /**
     * TensorFlow object-detection's outputs for an input {@code [1, 3, 4, 8]}, as constants: two
     * rows of which {@code num_detections} says one is real — boxes (ymin, xmin, ymax, xmax as
     * fractions) {0.25, 0.125, 0.75, 0.625} and {0, 0, 1, 1}, scores 0.9 and 0.8, label-map classes
     * 2 and 1. The scores take 0 × max(input), so the input is part of the graph.
     */
    static byte[] tensorFlowDetections(Map<String, String> metadata) {
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("tf_od")
                        .addInput(OnnxProtos.value("images", 1, 3, 4, 8))
                        .addInitializer(
                                OnnxProtos.floats(
                                        "boxes",
                                        new float[] {0.25f, 0.125f, 0.75f, 0.625f, 0, 0, 1, 1},
                                        1,
                                        2,
                                        4))
                        .addInitializer(OnnxProtos.floats("scores", new float[] {0.9f, 0.8f}, 1, 2))
                        .addInitializer(OnnxProtos.floats("classes", new float[] {2, 1}, 1, 2))
                        .addInitializer(OnnxProtos.floats("count", new float[] {1}, 1))
                        .addAllNode(plusNothingOfInput("scores", "detection_scores"))
                        .addInitializer(OnnxProtos.floats("zero", new float[] {0}, 1))
                        .addNode(
                                OnnxProtos.node(
                                        "Identity", java.util.List.of("boxes"), "detection_boxes"))
                        .addNode(
                                OnnxProtos.node(
                                        "Identity",
                                        java.util.List.of("classes"),
                                        "detection_classes"))
                        .addNode(
                                OnnxProtos.node(
                                        "Identity", java.util.List.of("count"), "num_detections"))
                        .addOutput(OnnxProtos.value("detection_boxes", 1, 2, 4))
                        .addOutput(OnnxProtos.value("detection_classes", 1, 2))
                        .addOutput(OnnxProtos.value("detection_scores", 1, 2))
                        .addOutput(OnnxProtos.value("num_detections", 1))
                        .build();
        return OnnxProtos.model(graph, metadata).toByteArray();
    }

    /**
     * torchvision's detection export for one image without a batch dimension, input {@code [3, 4,
     * 8]}, as constants: {@code boxes [2, 4]} (x1, y1, x2, y2 in input pixels) {1, 1, 5, 3} and {0,
     * 0, 8, 4}, {@code scores [2]} 0.9 and 0.1, {@code labels [2]} (int64, 0 is background) 2 and
     * 1. The scores take 0 × max(input), so the input is part of the graph.
     */
    static byte[] torchvisionDetections(Map<String, String> metadata) {
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("torchvision")
                        .addInput(OnnxProtos.value("images", 3, 4, 8))
                        .addInitializer(
                                OnnxProtos.floats("b", new float[] {1, 1, 5, 3, 0, 0, 8, 4}, 2, 4))
                        .addInitializer(OnnxProtos.floats("s", new float[] {0.9f, 0.1f}, 2))
                        .addInitializer(OnnxProtos.longs("l", 2, 1))
                        .addInitializer(OnnxProtos.floats("zero", new float[] {0}, 1))
                        .addAllNode(plusNothingOfInput("s", "scores"))
                        .addNode(OnnxProtos.node("Identity", List.of("b"), "boxes"))
                        .addNode(OnnxProtos.node("Identity", List.of("l"), "labels"))
                        .addOutput(OnnxProtos.value("boxes", 2, 4))
                        .addOutput(OnnxProtos.typedValue("labels", TensorProto.DataType.INT64, 2))
                        .addOutput(OnnxProtos.value("scores", 2))
                        .build();
        return OnnxProtos.model(graph, metadata).toByteArray();
    }

    /**
     * torchvision's Mask R-CNN export for one image, input {@code [3, 4, 8]}, as constants: one
     * detection, box {0, 0, 4, 4} (the input's left half), label 1, score 0.9, and its mask {@code
     * [1, 1, 4, 8]}: probability 0.9 in the two leftmost columns, 0.1 elsewhere.
     */
    static byte[] maskRcnn(Map<String, String> metadata) {
        float[] mask = new float[32];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                mask[y * 8 + x] = x < 2 ? 0.9f : 0.1f;
            }
        }
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("maskrcnn")
                        .addInput(OnnxProtos.value("images", 3, 4, 8))
                        .addInitializer(OnnxProtos.floats("b", new float[] {0, 0, 4, 4}, 1, 4))
                        .addInitializer(OnnxProtos.floats("s", new float[] {0.9f}, 1))
                        .addInitializer(OnnxProtos.longs("l", 1))
                        .addInitializer(OnnxProtos.floats("m", mask, 1, 1, 4, 8))
                        .addInitializer(OnnxProtos.floats("zero", new float[] {0}, 1))
                        .addAllNode(plusNothingOfInput("s", "scores"))
                        .addNode(OnnxProtos.node("Identity", List.of("b"), "boxes"))
                        .addNode(OnnxProtos.node("Identity", List.of("l"), "labels"))
                        .addNode(OnnxProtos.node("Identity", List.of("m"), "masks"))
                        .addOutput(OnnxProtos.value("boxes", 1, 4))
                        .addOutput(OnnxProtos.typedValue("labels", TensorProto.DataType.INT64, 1))
                        .addOutput(OnnxProtos.value("scores", 1))
                        .addOutput(OnnxProtos.value("masks", 1, 1, 4, 8))
                        .build();
        return OnnxProtos.model(graph, metadata).toByteArray();
    }

    /**
     * Nodes computing {@code output = constant + 0 × max(images)} (with a {@code zero}
     * initializer), so a model of constant outputs still reads its input.
     */
    private static List<NodeProto> plusNothingOfInput(String constant, String output) {
        return List.of(
                OnnxProtos.node(
                                "ReduceMax",
                                List.of("images"),
                                "max",
                                OnnxProtos.integer("keepdims", 0))
                        .build(),
                OnnxProtos.node("Mul", List.of("max", "zero"), "nothing").build(),
                OnnxProtos.node("Add", List.of(constant, "nothing"), output).build());
    }

    /**
     * Input {@code [N, 3, 4, 4]}, a 1x1 convolution giving logits {@code [N, 2, 4, 4]}: class 0 =
     * R, class 1 = G.
     */
    static byte[] segmentation(Map<String, String> metadata) {
        TensorProto weights =
                TensorProto.newBuilder()
                        .setName("W")
                        .setDataType(FLOAT)
                        .addDims(2)
                        .addDims(3)
                        .addDims(1)
                        .addDims(1)
                        .addFloatData(1)
                        .addFloatData(0)
                        .addFloatData(0)
                        .addFloatData(0)
                        .addFloatData(1)
                        .addFloatData(0)
                        .build();
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("segment")
                        .addInput(OnnxProtos.value("images", "batch", 3, 4, 4))
                        .addInitializer(weights)
                        .addNode(
                                NodeProto.newBuilder()
                                        .setOpType("Conv")
                                        .addInput("images")
                                        .addInput("W")
                                        .addOutput("logits")
                                        .addAttribute(
                                                AttributeProto.newBuilder()
                                                        .setName("kernel_shape")
                                                        .setType(AttributeProto.AttributeType.INTS)
                                                        .addInts(1)
                                                        .addInts(1)))
                        .addOutput(OnnxProtos.value("logits", "batch", 2, 4, 4))
                        .build();
        return OnnxProtos.model(graph, metadata).toByteArray();
    }
}
