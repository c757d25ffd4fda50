package io.streamtune.vision.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Map;

/** Tiny ONNX models built in memory for runner tests. */
final class OnnxModels {

    private static final int FLOAT = TensorProto.DataType.FLOAT.getNumber();

    private OnnxModels() {}

    /** A dimension: a positive size, or a symbolic (dynamic) one when {@code size} is a String. */
    private static ValueInfoProto tensor(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String symbol) {
                dim.setDimParam(symbol);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        TypeProto.newBuilder()
                                .setTensorType(
                                        TypeProto.Tensor.newBuilder()
                                                .setElemType(FLOAT)
                                                .setShape(shape)))
                .build();
    }

    private static ModelProto model(GraphProto graph, Map<String, String> metadata) {
        ModelProto.Builder model =
                ModelProto.newBuilder()
                        .setIrVersion(8)
                        .setProducerName("streamtune-test")
                        .addOpsetImport(
                                OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                        .setGraph(graph);
        metadata.forEach(
                (k, v) ->
                        model.addMetadataProps(
                                StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    /**
     * {@code images [batch, 3, h, w] -> Identity -> out}; batch dynamic when {@code batch} is null.
     */
    static byte[] identity(
            Object batch, Object height, Object width, Map<String, String> metadata) {
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("identity")
                        .addInput(
                                tensor("images", batch == null ? "batch" : batch, 3, height, width))
                        .addOutput(tensor("out", batch == null ? "batch" : batch, 3, height, width))
                        .addNode(
                                NodeProto.newBuilder()
                                        .setOpType("Identity")
                                        .addInput("images")
                                        .addOutput("out"))
                        .build();
        return model(graph, metadata).toByteArray();
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
                        .addInput(tensor("images", n, 3, height, width))
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
                        .addOutput(tensor("logits", n, 2, height, width))
                        .addOutput(tensor("pooled", n, 2, 1, 1))
                        .build();
        return model(graph, metadata).toByteArray();
    }
}
