package io.streamtune.vision.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.streamtune.onnx.testkit.OnnxProtos;
import java.util.Map;

/** Tiny ONNX models built in memory for runner tests. */
final class OnnxModels {

    private static final int FLOAT = TensorProto.DataType.FLOAT.getNumber();

    private OnnxModels() {}

    /** A dimension: a positive size, or a symbolic (dynamic) one when {@code size} is a String. */
    /**
     * {@code images [batch, 3, h, w] -> Identity -> out}; batch dynamic when {@code batch} is null.
     */
    static byte[] identity(
            Object batch, Object height, Object width, Map<String, String> metadata) {
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("identity")
                        .addInput(
                                OnnxProtos.value(
                                        "images",
                                        batch == null ? "batch" : batch,
                                        3,
                                        height,
                                        width))
                        .addOutput(
                                OnnxProtos.value(
                                        "out", batch == null ? "batch" : batch, 3, height, width))
                        .addNode(
                                NodeProto.newBuilder()
                                        .setOpType("Identity")
                                        .addInput("images")
                                        .addOutput("out"))
                        .build();
        return OnnxProtos.model(graph, metadata).toByteArray();
    }

    /**
     * A 1x1 convolution from 3 to 2 channels with weights {@code w[o][c]} and bias {@code b[o]},
     * followed by a global average pool, giving {@code logits [batch, 2, h, w]} and {@code pooled
     * [batch, 2, 1, 1]}.
     */
    static byte[] conv1x1(
            Object batch,
            int height,
            int width,
            float[][] w,
            float[] b,
            Map<String, String> metadata) {
        TensorProto.Builder weights =
                TensorProto.newBuilder()
                        .setName("W")
                        .setDataType(FLOAT)
                        .addDims(2)
                        .addDims(3)
                        .addDims(1)
                        .addDims(1);
        for (float[] row : w) {
            for (float v : row) {
                weights.addFloatData(v);
            }
        }
        TensorProto.Builder bias =
                TensorProto.newBuilder().setName("B").setDataType(FLOAT).addDims(2);
        for (float v : b) {
            bias.addFloatData(v);
        }
        Object n = batch == null ? "batch" : batch;
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("conv")
                        .addInput(OnnxProtos.value("images", n, 3, height, width))
                        .addInitializer(weights)
                        .addInitializer(bias)
                        .addNode(
                                NodeProto.newBuilder()
                                        .setOpType("Conv")
                                        .addInput("images")
                                        .addInput("W")
                                        .addInput("B")
                                        .addOutput("logits")
                                        .addAttribute(
                                                AttributeProto.newBuilder()
                                                        .setName("kernel_shape")
                                                        .setType(AttributeProto.AttributeType.INTS)
                                                        .addInts(1)
                                                        .addInts(1)))
                        .addNode(
                                NodeProto.newBuilder()
                                        .setOpType("GlobalAveragePool")
                                        .addInput("logits")
                                        .addOutput("pooled"))
                        .addOutput(OnnxProtos.value("logits", n, 2, height, width))
                        .addOutput(OnnxProtos.value("pooled", n, 2, 1, 1))
                        .build();
        return OnnxProtos.model(graph, metadata).toByteArray();
    }

    /**
     * tf2onnx's shape of a network: {@code input_1 [batch, h, w, 3]} (channels last) {@code ->
     * Transpose(0, 3, 1, 2) -> out [batch, 3, h, w]}.
     */
    static byte[] channelsLast(int height, int width, Map<String, String> metadata) {
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("keras")
                        .addInput(OnnxProtos.value("input_1", "batch", height, width, 3))
                        .addOutput(OnnxProtos.value("out", "batch", 3, height, width))
                        .addNode(
                                NodeProto.newBuilder()
                                        .setOpType("Transpose")
                                        .addInput("input_1")
                                        .addOutput("out")
                                        .addAttribute(
                                                AttributeProto.newBuilder()
                                                        .setName("perm")
                                                        .setType(AttributeProto.AttributeType.INTS)
                                                        .addInts(0)
                                                        .addInts(3)
                                                        .addInts(1)
                                                        .addInts(2)))
                        .build();
        return OnnxProtos.model(graph, metadata).toByteArray();
    }

    /**
     * An 8-bit input, as TensorFlow's object-detection exports have: {@code image_tensor uint8
     * [batch, 3, h, w] -> Cast(float) -> out}.
     */
    static byte[] uint8Input(int height, int width, Map<String, String> metadata) {
        var input = OnnxProtos.value("image_tensor", "batch", 3, height, width).toBuilder();
        input.getTypeBuilder()
                .getTensorTypeBuilder()
                .setElemType(TensorProto.DataType.UINT8.getNumber());
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("tf")
                        .addInput(input)
                        .addOutput(OnnxProtos.value("out", "batch", 3, height, width))
                        .addNode(
                                NodeProto.newBuilder()
                                        .setOpType("Cast")
                                        .addInput("image_tensor")
                                        .addOutput("out")
                                        .addAttribute(
                                                AttributeProto.newBuilder()
                                                        .setName("to")
                                                        .setType(AttributeProto.AttributeType.INT)
                                                        .setI(FLOAT)))
                        .build();
        return OnnxProtos.model(graph, metadata).toByteArray();
    }
}
